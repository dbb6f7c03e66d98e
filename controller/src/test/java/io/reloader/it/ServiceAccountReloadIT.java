package io.reloader.it;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.reloader.hash.SourceHasher;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.ReloadedFromMarker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --reload-on-serviceaccount-change}: a change of a ServiceAccount's workload identity annotation rolls the
 * auto workloads that run as it, and nothing else of a ServiceAccount rolls anything.
 */
class ServiceAccountReloadIT extends HarnessIT {
    private static final String NS = "id";
    private static final String ROLE = "eks.amazonaws.com/role-arn";
    private static final String FLAG = "--reload-on-serviceaccount-change";
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");
    private static final String APP_VAR = "STAKATER_APP_SERVICEACCOUNT";
    private static final String DEFAULT_VAR = "STAKATER_DEFAULT_SERVICEACCOUNT";

    private static PodSpec runningAs(String serviceAccount) {
        return new PodSpecBuilder().withServiceAccountName(serviceAccount).addNewContainer().withName("app")
                .withImage("nginx").endContainer().addNewContainer().withName("sidecar").withImage("envoy")
                .endContainer().build();
    }

    /** The hash the controller must write: SHA-1 of the one selected annotation's key=value entry. */
    private static String roleHash(String role) {
        return SourceHasher.sha1Hex(ROLE + "=" + role);
    }

    private void serviceAccount(String name, String role) {
        ServiceAccountBuilder sa = new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("team", "a").addToAnnotations("description", "v1").endMetadata();
        if (role != null) {
            sa.editMetadata().addToAnnotations(ROLE, role).endMetadata();
        }
        h.client.resource(sa.build()).create();
    }

    private void editServiceAccount(String name, java.util.function.Consumer<ServiceAccount> edit) {
        h.client.serviceAccounts().inNamespace(NS).withName(name).edit(sa -> {
            edit.accept(sa);
            return sa;
        });
    }

    private void setRole(String name, String role) {
        editServiceAccount(name, sa -> {
            Map<String, String> a = new HashMap<>(sa.getMetadata().getAnnotations());
            if (role == null) {
                a.remove(ROLE);
            } else {
                a.put(ROLE, role);
            }
            sa.getMetadata().setAnnotations(a);
        });
    }

    private String env(String workload, String var) {
        return h.env(WorkloadKind.DEPLOYMENT, NS, workload, "app", var);
    }

    private long patches(String workload) {
        return h.patchesTo("/namespaces/" + NS + "/deployments/" + workload);
    }

    @Test
    void aRoleChangeRollsTheAutoWorkloadsRunningAsTheServiceAccountOnce() {
        serviceAccount("app", "arn:aws:iam::1:role/a");
        serviceAccount("default", "arn:aws:iam::1:role/default-a");
        serviceAccount("other", "arn:aws:iam::1:role/o");
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", AUTO, runningAs("app")));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "plain", AUTO, runningAs(null)));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "manual", Map.of(), runningAs("app")));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "elsewhere", AUTO, runningAs("other")));
        h.start(FLAG);

        setRole("app", "arn:aws:iam::1:role/b");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(env("web", APP_VAR)).isEqualTo(roleHash("arn:aws:iam::1:role/b")));
        // The variable goes into the first container only, as for a source a workload does not reference by volume.
        assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "web", "sidecar", APP_VAR)).isNull();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.events(NS)).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("Reloaded");
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
            assertThat(e.getSource().getComponent()).isEqualTo("reloader-serviceaccounts");
            assertThat(e.getMessage()).startsWith("Changes detected in 'app' of type 'SERVICEACCOUNT' in namespace 'id', "
                    + "Updated 'web' of type 'Deployment' in namespace 'id'").contains(ROLE);
        }));
        assertThat(h.logLines()).anyMatch(l -> l.contains("Changes detected in 'app' of type 'SERVICEACCOUNT'"));

        // A label, an unrelated annotation: the same hash, nothing rolls.
        editServiceAccount("app", sa -> {
            sa.getMetadata().getLabels().put("team", "b");
            Map<String, String> a = new HashMap<>(sa.getMetadata().getAnnotations());
            a.put("description", "v2");
            a.put("example.com/unrelated", "x");
            sa.getMetadata().setAnnotations(a);
        });
        // The barrier: the next role change rolls exactly once more, so the edit above was seen and rolled nothing.
        setRole("app", "arn:aws:iam::1:role/c");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(env("web", APP_VAR)).isEqualTo(roleHash("arn:aws:iam::1:role/c")));
        h.awaitIdle();
        assertThat(patches("web")).isEqualTo(2);

        // Removed: the hash of no selected annotation.
        setRole("app", null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(env("web", APP_VAR)).isEqualTo(SourceHasher.sha1Hex("")));

        // No serviceAccountName: the workload follows default.
        setRole("default", "arn:aws:iam::1:role/default-b");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(env("plain", DEFAULT_VAR)).isEqualTo(roleHash("arn:aws:iam::1:role/default-b")));
        h.awaitIdle();
        assertThat(env("plain", APP_VAR)).isNull();
        assertThat(env("web", DEFAULT_VAR)).isNull();
        // Not auto, or running as another ServiceAccount: never written.
        assertThat(patches("manual")).isZero();
        assertThat(patches("elsewhere")).isZero();
        assertThat(patches("plain")).isEqualTo(1);
        assertThat(patches("web")).isEqualTo(3);
        // Nothing rolled at first sight: the start wrote nothing (every write above is accounted for).
    }

    @Test
    void theAnnotationsStrategyWritesLastReloadedFromWithTypeServiceAccount() {
        serviceAccount("app", null);
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", AUTO, runningAs("app")));
        h.start(FLAG, "--reload-strategy=annotations");
        // A ServiceAccount that never had the annotation is state at first sight; adding it is a change.
        setRole("app", "arn:aws:iam::1:role/a");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String marker = h.templateAnnotation(WorkloadKind.DEPLOYMENT, NS, "web",
                    "reloader.stakater.com/last-reloaded-from");
            assertThat(ReloadedFromMarker.parse(marker)).hasValueSatisfying(m -> {
                assertThat(m.type()).isEqualTo(SourceType.SERVICEACCOUNT);
                assertThat(m.name()).isEqualTo("app");
                assertThat(m.namespace()).isEqualTo(NS);
                assertThat(m.hash()).isEqualTo(roleHash("arn:aws:iam::1:role/a"));
                assertThat(m.containerRefs()).containsExactly("app");
            });
        });
        assertThat(h.get(WorkloadKind.DEPLOYMENT, NS, "web").getMetadata().getAnnotations())
                .containsEntry("reloader.stakater.com/applied-hashes",
                        "{\"SERVICEACCOUNT/app\":\"" + roleHash("arn:aws:iam::1:role/a") + "\"}");
    }

    @Test
    void aRoleChangedWhileNoControllerRanRollsOnceAtStartAndCurrentWorkloadsStay() {
        serviceAccount("app", "arn:aws:iam::1:role/a");
        serviceAccount("default", "arn:aws:iam::1:role/d");
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", AUTO, runningAs("app")));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "plain", AUTO, runningAs(null)));
        h.start(FLAG);
        setRole("app", "arn:aws:iam::1:role/b");
        setRole("default", "arn:aws:iam::1:role/d2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(env("web", APP_VAR)).isEqualTo(roleHash("arn:aws:iam::1:role/b"));
            assertThat(env("plain", DEFAULT_VAR)).isEqualTo(roleHash("arn:aws:iam::1:role/d2"));
        });
        h.awaitIdle();
        h.stopController();

        setRole("app", "arn:aws:iam::1:role/c"); // while down
        h.start(FLAG);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(env("web", APP_VAR)).isEqualTo(roleHash("arn:aws:iam::1:role/c")));
        h.awaitIdle();
        assertThat(patches("web")).isEqualTo(2);
        assertThat(patches("plain")).isEqualTo(1); // its marker matches its ServiceAccount: not rolled at start
    }

    @Test
    void withTheFlagOffNothingWatchesServiceAccounts() {
        serviceAccount("app", "arn:aws:iam::1:role/a");
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        PodSpec spec = runningAs("app");
        spec.getContainers().get(0).setEnvFrom(Workloads.envFromConfigMaps("cfg").getContainers().get(0).getEnvFrom());
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", AUTO, spec));
        h.start();
        setRole("app", "arn:aws:iam::1:role/b");
        // The barrier: a ConfigMap change made after the role change rolls the workload.
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(env("web", "STAKATER_CFG_CONFIGMAP"))
                .isEqualTo(ControllerHarness.hashOf(Map.of("k", "v2"))));
        h.awaitIdle();
        assertThat(env("web", APP_VAR)).isNull();
        assertThat(patches("web")).isEqualTo(1);
        assertThat(h.controllerRequests()).extracting(RecordedRequest::getPath)
                .noneMatch(p -> p.contains("/serviceaccounts"));
    }

    @Test
    void aServiceAccountAndAConfigMapChangedInOneBurstRollTheWorkloadOnce() {
        serviceAccount("app", "arn:aws:iam::1:role/a");
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        PodSpec spec = runningAs("app");
        spec.getContainers().get(0).setEnvFrom(Workloads.envFromConfigMaps("cfg").getContainers().get(0).getEnvFrom());
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", AUTO, spec));
        h.start(FLAG, "--coalesce-window=3s");
        setRole("app", "arn:aws:iam::1:role/b");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(env("web", APP_VAR)).isEqualTo(roleHash("arn:aws:iam::1:role/b"));
            assertThat(env("web", "STAKATER_CFG_CONFIGMAP")).isEqualTo(ControllerHarness.hashOf(Map.of("k", "v2")));
        });
        h.awaitIdle();
        assertThat(patches("web")).isEqualTo(1);
    }

    @Test
    void withTheFlagOnServiceAccountsAreListedAndWatched() {
        h.start(FLAG);
        assertThat(h.controllerRequests()).extracting(RecordedRequest::getPath)
                .anyMatch(p -> p.startsWith("/api/v1/serviceaccounts?") && !p.contains("watch=true"))
                .anyMatch(p -> p.startsWith("/api/v1/serviceaccounts?") && p.contains("watch=true"));
    }

}
