package io.reloader.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.cli.ControllerFlags;
import io.reloader.config.Options;
import io.reloader.controller.ReloaderController;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.report.ReloaderMetrics;
import io.reloader.workload.AdapterFactory;
import io.reloader.workload.WorkloadAdapter;
import io.reloader.write.WorkloadApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adding a workload kind is one adapter class and one registration line: {@link ReplicaSetAdapter} lives only in
 * this test, is handed to the controller as one more adapter factory (what a line in
 * {@code AdapterRegistry.BUILT_IN} does for a built-in kind), and ReplicaSets are then watched, indexed, decided on
 * and reloaded with no other class changed. Without it the same ReplicaSet is left alone.
 */
class ExtraKindIT extends HarnessIT {
    private static final String NS = "shop";
    private static final String VAR = "STAKATER_CFG_CONFIGMAP";

    /** The kind: apps/v1 ReplicaSet, its pod template at spec.template, read as fabric8's model class. */
    static final WorkloadKind REPLICASET = new WorkloadKind("REPLICASET", "apps", "v1", "ReplicaSet", "replicasets",
            "replicaSets", "/spec/template", ReplicaSet.class);

    /** The whole adapter: what the kind is, and that a reload sends the strategy's template patch. */
    static final class ReplicaSetAdapter implements WorkloadAdapter {
        private final WorkloadApi api;

        ReplicaSetAdapter(WorkloadApi api) {
            this.api = api;
        }

        @Override
        public WorkloadKind kind() {
            return REPLICASET;
        }

        @Override
        public Optional<HasMetadata> reload(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
            return Optional.of(api.patch(key, plan.patch()));
        }
    }

    private static final AdapterFactory REGISTRATION = c -> new ReplicaSetAdapter(c.api());

    private void workloads() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        Map<String, String> auto = Map.of("reloader.stakater.com/auto", "true");
        h.create(Workloads.workload(WorkloadKind.DEPLOYMENT, NS, "web", auto, envFromConfigMaps("cfg")));
        h.create(new ReplicaSetBuilder().withNewMetadata().withName("rs").withNamespace(NS).withAnnotations(auto)
                .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "rs").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "rs").endMetadata()
                .withSpec(envFromConfigMaps("cfg")).endTemplate().endSpec().build());
    }

    private String replicaSetEnv() {
        ReplicaSet rs = h.client.apps().replicaSets().inNamespace(NS).withName("rs").get();
        return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> VAR.equals(e.getName())).map(e -> e.getValue()).findFirst().orElse(null);
    }

    private String deploymentEnv() {
        return h.env(WorkloadKind.DEPLOYMENT, NS, "web", "app", VAR);
    }

    @Test
    void aKindRegisteredOnlyInThisTestIsReloaded() throws Exception {
        workloads();
        Options options = ControllerFlags.parse(Map.of(), "--coalesce-window=100ms", "--http-port=0");
        ReloaderMetrics metrics = new ReloaderMetrics(false);
        try (KubernetesClient client = ControllerHarness.controllerClient(h.server, options.fieldManager(), metrics,
                Map.of()); ReloaderController controller = new ReloaderController(client, options, metrics)
                .withAdapters(List.of(REGISTRATION))) {
            controller.start(Duration.ofSeconds(30));
            h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
            String hash = hashOf(Map.of("k", "v2"));
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(replicaSetEnv()).as("the ReplicaSet's env var").isEqualTo(hash);
                assertThat(h.events(NS)).anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("Reloaded");
                    assertThat(e.getInvolvedObject().getKind()).isEqualTo("ReplicaSet");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("rs");
                });
            });
            assertThat(deploymentEnv()).as("the built-in kinds still reload").isEqualTo(hash);
        } finally {
            metrics.close();
        }
    }

    /** The control: the built-ins alone do not reload a ReplicaSet, although the Deployment beside it reloads. */
    @Test
    void withoutTheAdapterTheKindIsLeftAlone() {
        workloads();
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        String hash = hashOf(Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(deploymentEnv()).as("the Deployment's env var (the barrier)").isEqualTo(hash));
        h.awaitIdle();
        assertThat(replicaSetEnv()).as("the ReplicaSet's env var").isNull();
    }
}
