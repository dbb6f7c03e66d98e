package io.reloader.it;

import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A workload's own quiet period: its burst is written once it settled, however long the burst lasts. */
class QuietPeriodIT extends HarnessIT {
    private static final String NS = "shop";

    private long generation(WorkloadKind kind, String name) {
        Long g = h.get(kind, NS, name).getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    @Test
    void aBurstLongerThanTheGlobalWindowIsOneWriteForAWorkloadWithItsOwnQuietPeriod() throws Exception {
        h.configMap(NS, "cfg", Map.of("k", "0"));
        Map<String, String> settled = Map.of("reloader.stakater.com/auto", "true", AnnotationKeys.QUIET_PERIOD, "3s",
                AnnotationKeys.MAX_WAIT, "1m");
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "settled", settled, envFromConfigMaps("cfg")));
        h.create(workload(WorkloadKind.STATEFULSET, NS, "settled-sts", settled, envFromConfigMaps("cfg")));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "eager", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.start(); // the harness's global window is 100ms
        long deployment = generation(WorkloadKind.DEPLOYMENT, "settled");
        long statefulSet = generation(WorkloadKind.STATEFULSET, "settled-sts");

        // A Flux-like burst: six applies 300 ms apart, far longer than the global window.
        for (int i = 1; i <= 6; i++) {
            h.updateConfigMap(NS, "cfg", Map.of("k", Integer.toString(i)));
            Thread.sleep(300);
        }
        String last = hashOf(Map.of("k", "6"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "settled", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(last);
            assertThat(h.env(WorkloadKind.STATEFULSET, NS, "settled-sts", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(last);
        });
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "eager", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(last));
        h.awaitIdle();
        assertThat(generation(WorkloadKind.DEPLOYMENT, "settled") - deployment).isEqualTo(1);
        assertThat(generation(WorkloadKind.STATEFULSET, "settled-sts") - statefulSet).isEqualTo(1);
        assertThat(h.patchesTo("/deployments/eager")).as("without the annotation, the global window applies")
                .isGreaterThan(1);
    }

    @Test
    void anInvalidQuietPeriodIsReportedAndTheGlobalOneApplies() {
        h.configMap(NS, "cfg", Map.of("k", "0"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", Map.of("reloader.stakater.com/auto", "true",
                AnnotationKeys.QUIET_PERIOD, "soon"), envFromConfigMaps("cfg")));
        h.start();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e ->
                "ReloadAnnotationInvalid".equals(e.getReason()) && e.getMessage().contains(AnnotationKeys.QUIET_PERIOD)
                        && e.getMessage().contains("invalid duration")));
        h.updateConfigMap(NS, "cfg", Map.of("k", "1"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "1"))));
    }
}
