package io.reloader.it;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
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

/** Moving over from wave: its opt-in with --honor-wave-annotations, and workloads wave hashed taken over quietly. */
class WaveMigrationIT extends HarnessIT {
    private static final String NS = "shop";
    private static final String VAR = "STAKATER_APP_CONFIG_CONFIGMAP";
    private static final Map<String, String> WAVE = Map.of("wave.pusher.com/update-on-config-change", "true");
    private static final Map<String, String> OLD = Map.of("k", "v1");
    private static final Map<String, String> NEW = Map.of("k", "v2");

    private String env(String name) {
        return h.env(WorkloadKind.DEPLOYMENT, NS, name, "app", VAR);
    }

    @Test
    void waveOptInIsIgnoredWithoutTheFlag() {
        h.configMap(NS, "app-config", OLD);
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "waved", WAVE, envFromConfigMaps("app-config")));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "control", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        h.start();
        h.updateConfigMap(NS, "app-config", NEW);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(env("control")).isEqualTo(hashOf(NEW)));
        h.awaitIdle();
        assertThat(env("waved")).isNull();
        assertThat(h.patchesTo("/deployments/waved")).isZero();
    }

    @Test
    void waveOptInMeansAutoWithTheFlag() {
        h.configMap(NS, "app-config", OLD);
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "waved", WAVE, envFromConfigMaps("app-config")));
        h.start("--honor-wave-annotations=true");
        h.updateConfigMap(NS, "app-config", NEW);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(env("waved")).isEqualTo(hashOf(NEW)));
    }

    @Test
    void aWorkloadWaveHashedIsTakenOverWithoutARollout() {
        h.configMap(NS, "app-config", NEW);
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "waved", WAVE,
                Map.of("wave.pusher.com/config-hash", "0f4c2e9d8b7a"), envFromConfigMaps("app-config")));
        // The barrier: a workload Reloader rolled to the old data, which catch-up must roll at the same start.
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "stale", Map.of("reloader.stakater.com/auto", "true"),
                withVar(envFromConfigMaps("app-config"), hashOf(OLD))));
        long generation = h.get(WorkloadKind.DEPLOYMENT, NS, "waved").getMetadata().getGeneration();
        var templateBefore = h.template(WorkloadKind.DEPLOYMENT, NS, "waved");

        h.start("--honor-wave-annotations=true");

        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(env("stale")).isEqualTo(hashOf(NEW)));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.get(WorkloadKind.DEPLOYMENT, NS, "waved").getMetadata()
                .getAnnotations()).containsKey(AnnotationKeys.APPLIED_HASHES));
        h.awaitIdle();
        var waved = h.get(WorkloadKind.DEPLOYMENT, NS, "waved");
        assertThat(waved.getMetadata().getAnnotations())
                .containsEntry(AnnotationKeys.APPLIED_HASHES, "{\"CONFIGMAP/app-config\":\"" + hashOf(NEW) + "\"}");
        assertThat(h.template(WorkloadKind.DEPLOYMENT, NS, "waved")).as("no rollout").isEqualTo(templateBefore);
        assertThat(waved.getMetadata().getGeneration()).isEqualTo(generation);
        assertThat(h.events(NS)).noneMatch(e -> "Reloaded".equals(e.getReason())
                && "waved".equals(e.getInvolvedObject().getName()));

        // Taken over: the next change rolls it as usual.
        Map<String, String> newer = Map.of("k", "v3");
        h.updateConfigMap(NS, "app-config", newer);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(env("waved")).isEqualTo(hashOf(newer)));
    }

    @Test
    void withoutTheFlagAWaveHashedWorkloadIsLeftAlone() {
        h.configMap(NS, "app-config", NEW);
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "waved", WAVE,
                Map.of("wave.pusher.com/config-hash", "0f4c2e9d8b7a"), envFromConfigMaps("app-config")));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "stale", Map.of("reloader.stakater.com/auto", "true"),
                withVar(envFromConfigMaps("app-config"), hashOf(OLD))));
        h.start();
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(env("stale")).isEqualTo(hashOf(NEW)));
        h.awaitIdle();
        assertThat(h.get(WorkloadKind.DEPLOYMENT, NS, "waved").getMetadata().getAnnotations())
                .doesNotContainKey(AnnotationKeys.APPLIED_HASHES);
        assertThat(h.patchesTo("/deployments/waved")).isZero();
    }

    private static PodSpec withVar(PodSpec spec, String value) {
        return new PodSpecBuilder(spec).withContainers(new ContainerBuilder(spec.getContainers().get(0))
                .addNewEnv().withName(VAR).withValue(value).endEnv().build()).build();
    }
}
