package io.reloader.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.cli.ControllerFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Renders the chart with the real Helm for a matrix of Reloader values and checks args, env, RBAC, security. */
class HelmChartTest {
    private static final Path CHART = Path.of("deployments", "kubernetes", "chart", "reloader");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private static List<HasMetadata> render(Map<String, Object> values) {
        TemplateCommand t = new Helm(CHART).template().withName("reloader").withNamespace("reloader");
        values.forEach(t::set);
        return ChartRender.parse(t.call());
    }

    private static Container container(List<HasMetadata> objects) {
        return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static List<String> envNames(Container c) {
        return c.getEnv().stream().map(EnvVar::getName).toList();
    }

    private static List<PolicyRule> rules(List<HasMetadata> objects) {
        return objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst()
                .orElseThrow().getRules();
    }

    private static boolean grants(List<PolicyRule> rules, String resource, String verb) {
        return rules.stream().anyMatch(r -> r.getResources().contains(resource) && r.getVerbs().contains(verb));
    }

    @Test
    void defaultsRenderReloadersDeploymentWithWatchOnWorkloads() {
        List<HasMetadata> objects = render(Map.of());
        Container c = container(objects);
        assertThat(c.getArgs()).containsExactly("--log-level=info");
        assertThat(envNames(c)).contains("RELOADER_NAMESPACE", "RELOADER_DEPLOYMENT_NAME", "GOMAXPROCS", "GOMEMLIMIT")
                .doesNotContain("POD_NAME", "KUBERNETES_NAMESPACE");
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("RELOADER_DEPLOYMENT_NAME");
            assertThat(e.getValue()).isEqualTo("reloader-reloader");
        });
        assertThat(c.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(9090);
        });
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        Deployment d = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(65534L);
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        List<PolicyRule> rules = rules(objects);
        assertThat(grants(rules, "deployments", "watch")).isTrue();
        assertThat(grants(rules, "deployments", "patch")).isTrue();
        assertThat(grants(rules, "secrets", "watch")).isTrue();
        assertThat(grants(rules, "deployments", "update")).as("writes are patches").isFalse();
        assertThat(grants(rules, "jobs", "create")).isTrue();
        assertThat(grants(rules, "events", "create")).isTrue();
        assertThat(grants(rules, "events", "patch")).as("repeated Events are counted up").isTrue();
        assertThat(grants(rules, "leases", "update")).isFalse();
        assertThat(objects).anySatisfy(o -> assertThat(o.getMetadata().getName()).isEqualTo("reloader-reloader-metadata-role"));
    }

    static Stream<Arguments> argumentCases() {
        return Stream.of(
                Arguments.of(Map.of("reloader.reloadStrategy", "annotations"), List.of("--reload-strategy=annotations")),
                Arguments.of(Map.of("reloader.autoReloadAll", true), List.of("--auto-reload-all=true")),
                Arguments.of(Map.of("reloader.isArgoRollouts", true), List.of("--is-Argo-Rollouts=true")),
                Arguments.of(Map.of("reloader.ignoreSecrets", true), List.of("--resources-to-ignore=secrets")),
                Arguments.of(Map.of("reloader.ignoreJobs", true, "reloader.ignoreCronJobs", true),
                        List.of("--ignored-workload-types=jobs,cronjobs")),
                Arguments.of(Map.of("reloader.reloadOnCreate", true, "reloader.reloadOnDelete", true,
                        "reloader.syncAfterRestart", true), List.of("--reload-on-create=true", "--reload-on-delete=true",
                        "--sync-after-restart=true")),
                Arguments.of(Map.of("reloader.ignoreNamespaces", "kube-system,flux-system"),
                        List.of("--namespaces-to-ignore=kube-system,flux-system")),
                Arguments.of(Map.of("reloader.namespaceSelector", "team=a"), List.of("--namespace-selector=\"team=a\"")),
                Arguments.of(Map.of("reloader.resourceLabelSelector", "reload=yes"),
                        List.of("--resource-label-selector=reload=yes")),
                Arguments.of(Map.of("reloader.logFormat", "json"), List.of("--log-format=json")),
                Arguments.of(Map.of("reloader.enableCSIIntegration", true), List.of("--enable-csi-integration=true")),
                Arguments.of(Map.of("reloader.enableHA", true), List.of("--enable-ha=true")),
                Arguments.of(Map.of("reloader.reloadOnServiceAccountChange", true),
                        List.of("--reload-on-serviceaccount-change=true")),
                Arguments.of(Map.of("reloader.reloadOnServiceAccountChange", true, "reloader.serviceAccountAnnotations",
                        "eks.amazonaws.com/role-arn,example.com/identity"), List.of("--reload-on-serviceaccount-change=true",
                        "--serviceaccount-annotations=eks.amazonaws.com/role-arn,example.com/identity")),
                Arguments.of(Map.of("reloader.custom_annotations.configmap", "my/cm"),
                        List.of("--configmap-annotation", "my/cm")),
                Arguments.of(Map.of("reloader.webhookUrl", "http://hook"), List.of("--webhook-url", "http://hook")),
                Arguments.of(Map.of("reloader.flapWindow", "30m"), List.of("--flap-window=30m")),
                Arguments.of(Map.of("reloader.flapWindow", "0"), List.of("--flap-window=0")),
                Arguments.of(Map.of("reloader.extraArgs[0]", "--coalesce-window=5s"), List.of("--coalesce-window=5s")),
                Arguments.of(Map.of("reloader.watchGlobally", false, "reloader.namespaces[0]", "b",
                                "reloader.namespaces[1]", "a"),
                        List.of("--namespaces=a,b,reloader")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("argumentCases")
    void valuesRenderReloadersArgsAndTheBinaryAcceptsThem(Map<String, Object> values, List<String> expected) {
        Container c = container(render(values));
        assertThat(c.getArgs()).containsSubsequence(expected);
        Map<String, String> env = Map.of("POD_NAME", "p", "POD_NAMESPACE", "reloader");
        // Every rendered argument list must be one our controller starts with.
        ControllerFlags.parse(env, c.getArgs().toArray(String[]::new));
    }

    @Test
    void singleNamespaceModeUsesARoleAndKubernetesNamespace() {
        List<HasMetadata> objects = render(Map.of("reloader.watchGlobally", false));
        assertThat(envNames(container(objects))).contains("KUBERNETES_NAMESPACE");
        assertThat(objects).noneMatch(ClusterRole.class::isInstance);
        assertThat(objects).filteredOn(Role.class::isInstance).extracting(o -> o.getMetadata().getName())
                .contains("reloader-reloader-role", "reloader-reloader-metadata-role");
    }

    @Test
    void scopedNamespacesGetOneRoleEach() {
        List<HasMetadata> objects = render(Map.of("reloader.watchGlobally", false, "reloader.namespaces[0]", "b",
                "reloader.namespaces[1]", "a"));
        assertThat(objects).filteredOn(o -> o instanceof Role && o.getMetadata().getName().equals("reloader-reloader-role"))
                .extracting(o -> o.getMetadata().getNamespace()).containsExactlyInAnyOrder("a", "b", "reloader");
    }

    @Test
    void namespacesWithWatchGloballyFailToRender() {
        assertThatThrownBy(() -> render(Map.of("reloader.namespaces", "a")))
                .hasMessageContaining("reloader.namespaces requires reloader.watchGlobally=false");
    }

    @Test
    void moreThanOneReplicaGetsTheHaIdentityAndLeaseRules() {
        List<HasMetadata> objects = render(Map.of("reloader.deployment.replicas", 2));
        assertThat(envNames(container(objects))).contains("POD_NAME", "POD_NAMESPACE");
        assertThat(container(objects).getArgs()).contains("--enable-ha=true");
        assertThat(grants(rules(objects), "leases", "patch")).as("never cluster-wide").isFalse();
        assertThat(objects).filteredOn(o -> o instanceof Role && o.getMetadata().getName().equals("reloader-reloader-metadata-role"))
                .singleElement().satisfies(r -> assertThat(grants(((Role) r).getRules(), "leases", "patch")).isTrue());
    }

    @Test
    void ignoredKindsDropTheirRules() {
        List<PolicyRule> rules = rules(render(Map.of("reloader.ignoreSecrets", true, "reloader.ignoreJobs", true,
                "reloader.ignoreCronJobs", true)));
        assertThat(grants(rules, "secrets", "list")).isFalse();
        assertThat(grants(rules, "configmaps", "list")).isTrue();
        assertThat(grants(rules, "cronjobs", "get")).isFalse();
        assertThat(grants(rules, "jobs", "get")).isFalse();
    }

    @Test
    void readOnlyRootFilesystemMountsTmp() {
        List<HasMetadata> objects = render(Map.of("reloader.readOnlyRootFileSystem", true));
        Container c = container(objects);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp/"));
    }

    @Test
    void alertSecretCarriesOnlyAlertKeys() {
        List<HasMetadata> objects = render(Map.of("reloader.deployment.env.secret.ALERT_ON_RELOAD", "true",
                "reloader.deployment.env.secret.ALERT_WEBHOOK_URL", "http://hook"));
        assertThat(objects).filteredOn(o -> o.getKind().equals("Secret")).singleElement()
                .satisfies(s -> assertThat(((io.fabric8.kubernetes.api.model.Secret) s).getData())
                        .containsOnlyKeys("ALERT_ON_RELOAD", "ALERT_WEBHOOK_URL"));
    }

    /**
     * The Kustomize base is the chart rendered with defaults; this keeps the two from drifting. Regenerate with
     * {@code mvn test -Dtest=HelmChartTest -Dupdate.manifests=true}.
     */
    @Test
    void kustomizeBaseIsTheDefaultRender() throws Exception {
        Path base = Path.of("deployments", "kubernetes", "kustomize", "base", "reloader.yaml");
        String rendered = "# Generated from the Helm chart with default values (see HelmChartTest); do not edit.\n"
                + new Helm(CHART).template().withName("reloader").withNamespace("reloader").call();
        if (Boolean.getBoolean("update.manifests")) {
            java.nio.file.Files.createDirectories(base.getParent());
            java.nio.file.Files.writeString(base, rendered);
        }
        assertThat(java.nio.file.Files.readString(base)).isEqualTo(rendered);
    }

    @Test
    void chartLints() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }
}
