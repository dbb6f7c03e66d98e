package io.reloader.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.reloader.chart.ChartRender.asMap;
import static io.reloader.chart.ChartRender.only;
import static io.reloader.chart.ChartRender.template;
import static io.reloader.chart.ChartRender.withApis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart renders what Reloader's chart renders for the same values (its tests/service_test.yaml and the
 * values its chart honours): namespace, Service, labels, monitors, VPA, network policy, capability gating.
 */
class ChartParityIT {
    private static final String SERVICE = "reloader:\n  service:\n    port: 9090\n";

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> map, String... keys) {
        Object o = map;
        for (String k : keys) {
            o = o instanceof Map<?, ?> m ? m.get(k) : o instanceof List<?> l ? l.get(Integer.parseInt(k)) : null;
        }
        return o;
    }

    @Test
    void theNamespaceValuePlacesEveryNamespacedObject() {
        List<HasMetadata> objects = template("rel", "release-ns", "namespace: team-a\n" + "reloader:\n"
                + "  service: {port: 9090}\n  podDisruptionBudget: {enabled: true}\n  netpol: {enabled: true}\n"
                + "  deployment:\n    env:\n      secret: {ALERT_ON_RELOAD: \"true\"}\n");
        assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service", "ServiceAccount",
                "Secret", "PodDisruptionBudget", "NetworkPolicy", "Role", "RoleBinding");
        assertThat(objects).filteredOn(o -> !o.getKind().startsWith("Cluster"))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo("team-a"));
        assertThat(((ClusterRoleBinding) only(objects, "ClusterRoleBinding")).getSubjects())
                .singleElement().satisfies(s -> assertThat(s.getNamespace()).isEqualTo("team-a"));

        List<HasMetadata> scoped = template("rel", "release-ns", "namespace: team-a\nreloader:\n  watchGlobally: false\n");
        assertThat(scoped).filteredOn(o -> o.getKind().equals("Role") || o.getKind().equals("RoleBinding"))
                .isNotEmpty().allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("team-a"));
        assertThat(template("rel", "release-ns", "{}")).filteredOn(o -> o.getMetadata().getNamespace() != null)
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("release-ns"));
    }

    @Test
    void theServiceMergesAnnotationsAndLabelsThroughTplWithReleaseAnnotations() {
        Service svc = (Service) only(template("tpl-test", "ns", "reloader:\n  service:\n    port: 9090\n"
                + "    annotations:\n      prometheus.io/scrape: \"true\"\n      custom/release: \"{{ .Release.Name }}\"\n"
                + "    labels:\n      monitoring: enabled\n      release-name: \"{{ .Release.Name }}\"\n"), "Service");
        assertThat(svc.getMetadata().getAnnotations()).containsEntry("meta.helm.sh/release-name", "tpl-test")
                .containsEntry("meta.helm.sh/release-namespace", "ns").containsEntry("prometheus.io/scrape", "true")
                .containsEntry("custom/release", "tpl-test");
        assertThat(svc.getMetadata().getLabels()).containsEntry("monitoring", "enabled")
                .containsEntry("release-name", "tpl-test").containsEntry("app.kubernetes.io/name", "reloader")
                .containsEntry("app.kubernetes.io/instance", "tpl-test").containsEntry("app", "tpl-test-reloader");
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(9090);
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        });
    }

    @Test
    void theServiceSelectsOnDeploymentLabelsAndMatchLabelsLikeReloaders() {
        Service both = (Service) only(template("r", "ns", "reloader:\n  service: {port: 9090}\n  deployment:\n"
                + "    labels: {tier: backend}\n  matchLabels: {environment: production}\n"), "Service");
        assertThat(both.getSpec().getSelector()).containsEntry("tier", "backend")
                .containsEntry("environment", "production").containsEntry("provider", "stakater");
        Service matchOnly = (Service) only(template("r", "ns", "reloader:\n  service: {port: 9090}\n  deployment:\n"
                + "    labels: null\n  matchLabels: {environment: production}\n"), "Service");
        assertThat(matchOnly.getSpec().getSelector()).containsExactly(Map.entry("environment", "production"));
        Service defaults = (Service) only(template("r", "ns", SERVICE), "Service");
        assertThat(defaults.getSpec().getSelector()).containsOnlyKeys("provider", "group", "version")
                .containsEntry("provider", "stakater");
        Deployment d = (Deployment) only(template("r", "ns", SERVICE), "Deployment");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .as("the pods carry what the Service selects").containsAllEntriesOf(defaults.getSpec().getSelector());
    }

    @Test
    void ipFamiliesAndPolicyAndRenderingFromAnyServiceKey() {
        Service svc = (Service) only(template("r", "ns", "reloader:\n  service:\n    port: 9090\n"
                + "    ipFamilyPolicy: PreferDualStack\n    ipFamilies: [IPv6, IPv4]\n"), "Service");
        assertThat(svc.getSpec().getIpFamilyPolicy()).isEqualTo("PreferDualStack");
        assertThat(svc.getSpec().getIpFamilies()).containsExactly("IPv6", "IPv4");
        Service plain = (Service) only(template("r", "ns", SERVICE), "Service");
        assertThat(plain.getSpec().getIpFamilyPolicy()).isNull();
        assertThat(plain.getSpec().getIpFamilies()).isEmpty();
        assertThat(template("r", "ns", "reloader:\n  service:\n    ipFamilyPolicy: SingleStack\n"))
                .filteredOn(o -> o.getKind().equals("Service")).hasSize(1);
        assertThat(template("r", "ns", "reloader:\n  service:\n    annotations: {example.com/enabled: \"true\"}\n"))
                .filteredOn(o -> o.getKind().equals("Service")).hasSize(1);
        assertThat(template("r", "ns", "reloader:\n  service: {}\n")).noneMatch(o -> o.getKind().equals("Service"));
        assertThat(template("r", "ns", "reloader:\n  service: null\n")).noneMatch(o -> o.getKind().equals("Service"));
    }

    @Test
    void everyObjectCarriesReloadersLabelsAndTheSelectorNeverChanges() {
        List<HasMetadata> objects = template("rel", "ns", SERVICE);
        assertThat(objects).isNotEmpty().allSatisfy(o -> assertThat(o.getMetadata().getLabels()).as(o.getKind())
                .containsEntry("app.kubernetes.io/name", "reloader").containsEntry("app.kubernetes.io/instance", "rel")
                .containsEntry("app.kubernetes.io/managed-by", "Helm").containsKey("helm.sh/chart")
                .containsEntry("provider", "stakater").containsEntry("group", "com.stakater.platform")
                .containsKey("version").containsEntry("app", "rel-reloader").containsEntry("release", "rel"));
        Deployment d = (Deployment) only(objects, "Deployment");
        assertThat(d.getSpec().getSelector().getMatchLabels()).as("immutable: an upgrade from Reloader's chart works")
                .containsExactlyInAnyOrderEntriesOf(Map.of("app", "rel-reloader", "release", "rel"));
        Deployment withMatch = (Deployment) only(template("rel", "ns", "reloader:\n  matchLabels: {team: a}\n"),
                "Deployment");
        assertThat(withMatch.getSpec().getSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("app", "rel-reloader", "release", "rel", "team", "a"));
        assertThat(withMatch.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "a");
    }

    @Test
    void hostUsersIsSetOnlyWhenGiven() {
        Deployment off = (Deployment) only(template("r", "ns", "reloader:\n  deployment:\n    hostUsers: false\n"),
                "Deployment");
        assertThat(off.getSpec().getTemplate().getSpec().getHostUsers()).isFalse();
        Deployment unset = (Deployment) only(template("r", "ns", "{}"), "Deployment");
        assertThat(unset.getSpec().getTemplate().getSpec().getHostUsers()).isNull();
    }

    @Test
    void theNetworkPolicyHasReloadersSelectorPortsAndTheGivenPeers() {
        NetworkPolicy np = (NetworkPolicy) only(template("rel", "ns", "reloader:\n  matchLabels: {team: a}\n"
                + "  netpol:\n    enabled: true\n    from:\n    - podSelector:\n        matchLabels: {app.kubernetes.io/name: prometheus}\n"
                + "    to:\n    - ipBlock: {cidr: 10.0.0.1/32}\n"), "NetworkPolicy");
        assertThat(np.getSpec().getPodSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("app", "rel-reloader", "release", "rel", "team", "a"));
        assertThat(np.getSpec().getIngress()).singleElement().satisfies(i -> {
            assertThat(i.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
            assertThat(i.getFrom()).singleElement().satisfies(f -> assertThat(f.getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/name", "prometheus"));
        });
        // Reloader's "to" peers take the API server rule (443 and, behind the Service, 6443); DNS is a rule of its own.
        assertThat(np.getSpec().getEgress()).first().satisfies(e -> {
            assertThat(e.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(443, 6443);
            assertThat(e.getTo()).singleElement().satisfies(t -> assertThat(t.getIpBlock().getCidr()).isEqualTo("10.0.0.1/32"));
        });
    }

    private static final String ALL_OPTIONAL = "reloader:\n  service: {port: 9090}\n"
            + "  serviceMonitor: {enabled: true}\n  podMonitor: {enabled: true}\n  prometheusRule: {enabled: true}\n"
            + "  verticalPodAutoscaler: {enabled: true}\n";

    @Test
    void monitorsRulesAndTheVpaRenderOnlyWhereTheClusterServesTheirApi() {
        assertThat(template("r", "ns", ALL_OPTIONAL)).extracting(HasMetadata::getKind)
                .doesNotContain("ServiceMonitor", "PodMonitor", "PrometheusRule", "VerticalPodAutoscaler")
                .contains("Service", "Deployment");
        assertThat(withApis("r", ALL_OPTIONAL, Set.of())).extracting(HasMetadata::getKind)
                .doesNotContain("ServiceMonitor", "PodMonitor", "PrometheusRule", "VerticalPodAutoscaler");
        assertThat(withApis("r", ALL_OPTIONAL, Set.of(DiscoveryServer.PROMETHEUS_OPERATOR)))
                .extracting(HasMetadata::getKind).contains("ServiceMonitor", "PodMonitor", "PrometheusRule")
                .doesNotContain("VerticalPodAutoscaler");
        assertThat(withApis("r", ALL_OPTIONAL, Set.of(DiscoveryServer.PROMETHEUS_OPERATOR, DiscoveryServer.VPA)))
                .extracting(HasMetadata::getKind).contains("ServiceMonitor", "PodMonitor", "PrometheusRule",
                        "VerticalPodAutoscaler");
    }

    @Test
    void monitorsTakeRelabelingsHonorLabelsTargetLabelsAndJobLabel() {
        String relabel = "[{sourceLabels: [__meta_kubernetes_pod_node_name], targetLabel: nodename, action: replace}]";
        String keep = "[{action: keep, regex: 'reloader_.+', sourceLabels: [__name__]}]";
        List<HasMetadata> objects = withApis("rel", "reloader:\n  service: {port: 9090}\n"
                + "  serviceMonitor:\n    enabled: true\n    namespace: monitoring\n    honorLabels: false\n"
                + "    jobLabel: app.kubernetes.io/name\n    relabelings: " + relabel + "\n    metricRelabelings: " + keep
                + "\n    targetLabels: [team]\n    interval: 30s\n"
                + "  podMonitor:\n    enabled: true\n    relabelings: " + relabel + "\n    metricRelabelings: " + keep
                + "\n    podTargetLabels: [team]\n", Set.of(DiscoveryServer.PROMETHEUS_OPERATOR));
        Map<String, Object> sm = asMap(only(objects, "ServiceMonitor"));
        assertThat(path(sm, "metadata", "namespace")).isEqualTo("monitoring");
        assertThat(path(sm, "spec", "jobLabel")).isEqualTo("app.kubernetes.io/name");
        assertThat(path(sm, "spec", "targetLabels")).isEqualTo(List.of("team"));
        assertThat(path(sm, "spec", "endpoints", "0", "honorLabels")).isEqualTo(false);
        assertThat(path(sm, "spec", "endpoints", "0", "interval")).isEqualTo("30s");
        assertThat(path(sm, "spec", "endpoints", "0", "relabelings", "0", "targetLabel")).isEqualTo("nodename");
        assertThat(path(sm, "spec", "endpoints", "0", "metricRelabelings", "0", "action")).isEqualTo("keep");
        assertThat(path(sm, "spec", "selector", "matchLabels")).isEqualTo(Map.of("app", "rel-reloader", "release", "rel"));

        Map<String, Object> pm = asMap(only(objects, "PodMonitor"));
        assertThat(path(pm, "spec", "jobLabel")).isEqualTo("rel-reloader");
        assertThat(path(pm, "spec", "podTargetLabels")).isEqualTo(List.of("team"));
        assertThat(path(pm, "spec", "podMetricsEndpoints", "0", "honorLabels")).isEqualTo(true);
        assertThat(path(pm, "spec", "podMetricsEndpoints", "0", "relabelings", "0", "targetLabel")).isEqualTo("nodename");
        assertThat(path(pm, "spec", "podMetricsEndpoints", "0", "metricRelabelings", "0", "regex")).isEqualTo("reloader_.+");
    }

    @Test
    void theVpaControlsTheReloaderContainerWithinTheGivenBounds() {
        Map<String, Object> vpa = asMap(only(withApis("rel", "reloader:\n  verticalPodAutoscaler:\n    enabled: true\n"
                + "    controlledResources: [memory]\n    minAllowed: {memory: 64Mi}\n    maxAllowed: {memory: 512Mi}\n"
                + "    updatePolicy: {updateMode: Initial}\n", Set.of(DiscoveryServer.VPA)), "VerticalPodAutoscaler"));
        assertThat(path(vpa, "spec", "targetRef", "name")).isEqualTo("rel-reloader");
        assertThat(path(vpa, "spec", "updatePolicy", "updateMode")).isEqualTo("Initial");
        Object policy = path(vpa, "spec", "resourcePolicy", "containerPolicies", "0");
        assertThat(path(vpa, "spec", "resourcePolicy", "containerPolicies", "0", "containerName")).isEqualTo("rel-reloader");
        assertThat(policy).isInstanceOf(Map.class);
        assertThat(path(vpa, "spec", "resourcePolicy", "containerPolicies", "0", "controlledResources"))
                .isEqualTo(List.of("memory"));
        assertThat(path(vpa, "spec", "resourcePolicy", "containerPolicies", "0", "minAllowed", "memory")).isEqualTo("64Mi");
        assertThat(path(vpa, "spec", "resourcePolicy", "containerPolicies", "0", "maxAllowed", "memory")).isEqualTo("512Mi");
    }

    @Test
    void customWorkloadTypesGetTheirFlagAndRbac() {
        List<HasMetadata> objects = template("r", "ns", "reloader:\n  customWorkloadTypes:\n"
                + "  - {apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, resource: clonesets}\n"
                + "  - {apiVersion: slinky.slurm.net/v1alpha1, kind: NodeSet, resource: nodesets, templatePath: spec.template}\n");
        Deployment d = (Deployment) only(objects, "Deployment");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains(
                "--custom-workload-types=apps.kruise.io/v1alpha1/CloneSet",
                "--custom-workload-types=slinky.slurm.net/v1alpha1/NodeSet:spec.template");
        io.fabric8.kubernetes.api.model.rbac.ClusterRole role = (io.fabric8.kubernetes.api.model.rbac.ClusterRole)
                only(objects, "ClusterRole");
        assertThat(role.getRules()).anySatisfy(r -> {
            assertThat(r.getApiGroups()).containsExactly("apps.kruise.io");
            assertThat(r.getResources()).containsExactly("clonesets");
            assertThat(r.getVerbs()).contains("watch", "patch");
        });
        assertThat(role.getRules()).anySatisfy(r -> assertThat(r.getResources()).containsExactly("nodesets"));
        assertThat(io.reloader.cli.ControllerFlags.parse(Map.of(), d.getSpec().getTemplate().getSpec().getContainers()
                .get(0).getArgs().toArray(String[]::new)).scope().customKinds()).hasSize(2);
    }

    @Test
    void evictingPodsIsGrantedOnlyWhenAsked() {
        java.util.function.Function<String, List<io.fabric8.kubernetes.api.model.rbac.PolicyRule>> rules = values ->
                ((io.fabric8.kubernetes.api.model.rbac.ClusterRole) only(template("r", "ns", values), "ClusterRole"))
                        .getRules();
        assertThat(rules.apply("{}")).noneMatch(r -> r.getResources().contains("pods/eviction"));
        assertThat(rules.apply("reloader:\n  rbac:\n    evictPods: true\n")).anySatisfy(r -> {
            assertThat(r.getResources()).containsExactly("pods/eviction");
            assertThat(r.getVerbs()).containsExactly("create");
        }).anySatisfy(r -> assertThat(r.getResources()).containsExactly("pods"));
    }
}
