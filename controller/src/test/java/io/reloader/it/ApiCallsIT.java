package io.reloader.it;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.reloader.config.HaOptions;
import io.reloader.ha.LeaderElection;
import io.reloader.model.WorkloadKind;
import io.reloader.report.MetaInfo;
import io.reloader.report.ReloaderMetrics;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RBAC table ({@code rbac/api-calls.yaml}, which the chart is checked against) against what the code really
 * sends: the controller reloads a Deployment, a CronJob and a Job, writes the meta-info ConfigMap and takes the
 * Lease, and every request it sent (told by its user agent) must be a row of the table, at the row's scope and
 * with its resource name. A call the table misses would be a call the chart does not grant.
 */
class ApiCallsIT {
    private static final String RELEASE_NS = "reloader";

    /** A request as RBAC sees it. */
    record Call(String group, String resource, String verb, String namespace, String name) {
    }

    @Test
    void everyRequestTheControllerSendsIsInTheTable() throws Exception {
        try (ControllerHarness h = new ControllerHarness()) {
            ConfigMap cm = h.configMap("app", "cfg", Map.of("k", "v1"));
            var spec = new PodSpecBuilder().addNewContainer().withName("c").withImage("i")
                    .withEnvFrom(new EnvFromSourceBuilder().withNewConfigMapRef().withName(cm.getMetadata().getName())
                            .endConfigMapRef().build()).endContainer().withRestartPolicy("Never").build();
            Map<String, String> auto = Map.of("reloader.stakater.com/auto", "true");
            h.create(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("app").withAnnotations(auto)
                    .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("a", "web").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("a", "web").endMetadata().withSpec(spec)
                    .endTemplate().endSpec().build());
            h.create(new CronJobBuilder().withNewMetadata().withName("nightly").withNamespace("app").withAnnotations(auto)
                    .endMetadata().withNewSpec().withSchedule("0 0 * * *").withNewJobTemplate().withNewSpec()
                    .withNewTemplate().withSpec(spec).endTemplate().endSpec().endJobTemplate().endSpec().build());
            h.create(new JobBuilder().withNewMetadata().withName("once").withNamespace("app").withAnnotations(auto)
                    .endMetadata().withNewSpec().withNewTemplate().withSpec(spec).endTemplate().endSpec().build());
            h.client.resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata()
                    .withName("default").withNamespace("app").endMetadata().build()).create();
            h.start("--reload-on-serviceaccount-change");
            h.client.serviceAccounts().inNamespace("app").withName("default").edit(sa -> {
                sa.getMetadata().setAnnotations(Map.of("eks.amazonaws.com/role-arn", "arn:aws:iam::1:role/r"));
                return sa;
            });
            h.updateConfigMap("app", "cfg", Map.of("k", "v2"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(h.env(WorkloadKind.DEPLOYMENT, "app", "web", "c", "STAKATER_CFG_CONFIGMAP")).isNotNull();
                assertThat(h.controllerRequests()).anyMatch(r -> r.getMethod().equals("POST")
                        && r.getPath().startsWith("/apis/batch/v1/namespaces/app/jobs"));
                assertThat(h.controllerRequests()).anyMatch(r -> r.getMethod().equals("DELETE")
                        && r.getPath().startsWith("/apis/batch/v1/namespaces/app/jobs/once"));
                assertThat(h.events("app")).isNotEmpty();
            });
            h.awaitIdle();
            ReloaderMetrics metrics = new ReloaderMetrics(false);
            try (KubernetesClient own = ControllerHarness.controllerClient(h.server, "Reloader", metrics, Map.of())) {
                io.reloader.config.SelfOptions env = new io.reloader.config.SelfOptions(RELEASE_NS, "r", false);
                MetaInfo.write(own, env, Map.of());
                MetaInfo.write(own, env, Map.of()); // the second finds it: get, then update
                CountDownLatch leading = new CountDownLatch(1);
                HaOptions ha = new HaOptions(HaOptions.LEASE_NAME, RELEASE_NS, "pod-a", Duration.ofSeconds(15),
                        Duration.ofSeconds(10), Duration.ofSeconds(2), true);
                LeaderElection election = new LeaderElection(own, ha,
                        new io.reloader.ha.LeaderLease(java.time.Clock.systemUTC(), ha), leading::countDown, () -> { });
                election.start();
                assertThat(leading.await(30, TimeUnit.SECONDS)).isTrue();
                election.close(); // releases: another patch
            }
            metrics.close();

            List<Map<String, Object>> table = table();
            Set<String> unlisted = new TreeSet<>();
            Set<String> seen = new TreeSet<>();
            for (RecordedRequest r : h.controllerRequests()) {
                Call call = call(r);
                if (call == null) {
                    continue; // discovery: no grant
                }
                seen.add(call.group() + "/" + call.resource() + " " + call.verb());
                if (table.stream().noneMatch(row -> matches(row, call))) {
                    unlisted.add(r.getMethod() + " " + r.getPath() + " -> " + call);
                }
            }
            assertThat(unlisted).as("requests the table (and so the chart) does not cover").isEmpty();
            // The scenario exercised the calls that matter, so an empty list above means something.
            assertThat(seen).contains("/configmaps list", "/configmaps watch", "/secrets watch", "/serviceaccounts list",
                    "/serviceaccounts watch", "apps/deployments patch",
                    "batch/jobs create", "batch/jobs delete", "/events create", "/configmaps create", "/configmaps update",
                    "coordination.k8s.io/leases get", "coordination.k8s.io/leases create", "coordination.k8s.io/leases patch");
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> row, Call call) {
        if (row.containsKey("nonResourceURL") || !row.get("group").equals(call.group())
                || !row.get("resource").equals(call.resource()) || !((List<String>) row.get("verbs")).contains(call.verb())) {
            return false;
        }
        List<String> names = (List<String>) row.getOrDefault("resourceNames", List.of());
        if (!names.isEmpty() && !names.contains(call.name())) {
            return false;
        }
        return !"release".equals(row.get("scope")) || RELEASE_NS.equals(call.namespace());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> table() throws Exception {
        try (InputStream in = ApiCallsIT.class.getResourceAsStream("/rbac/api-calls.yaml")) {
            return (List<Map<String, Object>>) new KubernetesSerialization().unmarshal(in, Map.class).get("calls");
        }
    }

    /** Method and path as an RBAC request; null for discovery (non-resource URLs). */
    static Call call(RecordedRequest r) {
        String[] pathAndQuery = r.getPath().split("\\?", 2);
        String query = pathAndQuery.length > 1 ? pathAndQuery[1] : "";
        List<String> p = new ArrayList<>(List.of(pathAndQuery[0].replaceAll("^/|/$", "").split("/")));
        String group;
        if (p.get(0).equals("api")) {
            group = "";
            p = p.subList(2, p.size());
        } else if (p.get(0).equals("apis") && p.size() > 3) {
            group = p.get(1);
            p = p.subList(3, p.size());
        } else {
            return null;
        }
        String namespace = null;
        if (p.size() >= 3 && p.get(0).equals("namespaces")) {
            namespace = p.get(1);
            p = p.subList(2, p.size());
        }
        String resource = p.get(0);
        String name = p.size() > 1 ? p.get(1) : null;
        if (p.size() > 2) {
            resource = resource + "/" + p.get(2);
        }
        String verb = switch (r.getMethod()) {
            case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> r.getMethod();
        };
        return new Call(group, resource, verb, namespace, name);
    }
}
