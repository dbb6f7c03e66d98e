package io.reloader.it;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Changes made while the controller was down are reloaded exactly once; reverted markers are reported, not fought. */
class CatchUpAndRevertIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");

    private String record(String name) {
        return h.get(D, NS, name).getMetadata().getAnnotations().getOrDefault(AnnotationKeys.APPLIED_HASHES, "");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"env-vars", "annotations"})
    void aChangeMadeWhileDownIsReloadedOnceOnStart(String strategy) {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.create(workload(D, NS, "web", AUTO, envFromConfigMaps("cfg")));
        h.configMap(NS, "other", Map.of("k", "v1"));
        h.create(workload(D, NS, "untouched", AUTO, envFromConfigMaps("other")));
        h.start("--reload-strategy=" + strategy);
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        h.updateConfigMap(NS, "other", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(record("web")).contains(hashOf(Map.of("k", "v2")));
            assertThat(record("untouched")).contains(hashOf(Map.of("k", "v2")));
        });
        h.awaitIdle();
        h.stopController();

        h.updateConfigMap(NS, "cfg", Map.of("k", "v3")); // while no controller runs
        long patchesBefore = h.patchesTo("/deployments/web");
        long untouchedBefore = h.patchesTo("/deployments/untouched");
        h.start("--reload-strategy=" + strategy);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(record("web")).contains(hashOf(Map.of("k", "v3"))));
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web") - patchesBefore).isEqualTo(1);
        assertThat(h.patchesTo("/deployments/untouched")).isEqualTo(untouchedBefore);

        h.stopController();
        h.start("--reload-strategy=" + strategy);
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web") - patchesBefore).as("a second start rolls nothing").isEqualTo(1);
    }

    @Test
    void twoSourcesChangedWhileDownAreCaughtUpInOneWrite() {
        h.configMap(NS, "a", Map.of("k", "1"));
        h.configMap(NS, "b", Map.of("k", "1"));
        h.create(workload(D, NS, "web", AUTO, envFromConfigMaps("a", "b")));
        h.start();
        h.updateConfigMap(NS, "a", Map.of("k", "2"));
        h.updateConfigMap(NS, "b", Map.of("k", "2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(record("web")).contains(hashOf(Map.of("k", "2"))));
        h.awaitIdle();
        h.stopController();
        h.updateConfigMap(NS, "a", Map.of("k", "3"));
        h.updateConfigMap(NS, "b", Map.of("k", "4"));
        long before = h.patchesTo("/deployments/web");
        h.start();
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(h.env(D, NS, "web", "app", "STAKATER_A_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "3")));
            assertThat(h.env(D, NS, "web", "app", "STAKATER_B_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "4")));
        });
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web") - before).isEqualTo(1);
    }

    @Test
    void aWorkloadReloadedByReloaderBeforeTheSwapIsCaughtUpFromItsEnvVar() {
        h.configMap(NS, "cfg", Map.of("k", "new"));
        Deployment d = (Deployment) workload(D, NS, "web", AUTO, envFromConfigMaps("cfg"));
        h.create(new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer().addNewEnv()
                .withName("STAKATER_CFG_CONFIGMAP").withValue(hashOf(Map.of("k", "old"))).endEnv().endContainer()
                .endSpec().endTemplate().endSpec().build());
        h.start();
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(h.env(D, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "new"))));
    }

    @Test
    void catchUpCanBeTurnedOff() {
        h.configMap(NS, "cfg", Map.of("k", "new"));
        Deployment d = (Deployment) workload(D, NS, "web", AUTO, envFromConfigMaps("cfg"));
        String old = hashOf(Map.of("k", "old"));
        h.create(new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer().addNewEnv()
                .withName("STAKATER_CFG_CONFIGMAP").withValue(old).endEnv().endContainer()
                .endSpec().endTemplate().endSpec().build());
        h.start("--reload-missed-on-start=false");
        h.awaitIdle();
        assertThat(h.env(D, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(old);
    }

    @Test
    void aRevertedMarkerIsReportedAndNotReapplied() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.create(workload(D, NS, "web", AUTO, envFromConfigMaps("cfg")));
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(D, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        h.awaitIdle();
        long patches = h.patchesTo("/deployments/web");

        // A GitOps tool re-applies the manifest without our variable (the metadata record is not its field).
        h.client.apps().deployments().inNamespace(NS).withName("web").edit(x -> new DeploymentBuilder(x).editSpec()
                .editTemplate().editSpec().editFirstContainer().withEnv().endContainer().endSpec().endTemplate()
                .endSpec().build());
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e -> "ReloadMarkerReverted".equals(e.getReason())));
        assertThat(h.events(NS)).filteredOn(e -> "ReloadMarkerReverted".equals(e.getReason())).first().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
            assertThat(e.getMessage()).contains("env var STAKATER_CFG_CONFIGMAP was removed");
        });
        assertThat(h.metrics().scrape()).contains("reloader_marker_reverted_total{workload_kind=\"Deployment\"} 1.0");
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web") - patches).as("the revert is not written back").isZero();
        assertThat(h.env(D, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isNull();
    }
}
