package io.reloader.it;

import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.ReloadedFromMarker;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Switching strategies rolls exactly once per real change, and the annotations strategy cleans up STAKATER_*. */
class StrategySwitchIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;

    private long generation(String name) {
        Long g = h.get(D, NS, name).getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    private String var(String name) {
        return h.env(D, NS, name, "app", "STAKATER_CFG_CONFIGMAP");
    }

    private String markerHash(String name) {
        String marker = h.templateAnnotation(D, NS, name, AnnotationKeys.LAST_RELOADED_FROM);
        return marker == null ? null : ReloadedFromMarker.parse(marker).orElseThrow().hash();
    }

    /** A control workload that must reload proves the controller handled everything before it. */
    private void barrier(String value) {
        h.updateConfigMap(NS, "control", Map.of("k", value));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(hashOf(Map.of("k", value))
                .equals(h.env(D, NS, "control", "app", "STAKATER_CONTROL_CONFIGMAP"))
                || hashOf(Map.of("k", value)).equals(markerHash("control"))).as("hashOf(Map.of(\"k\", value)) .equals(h.env(D, NS, \"control\", \"app\", \"STAKATER_CONTROL_CONFIGMAP\")) || hashOf(Map.of(\"k\", value)).equals(markerHash(\"control\"))").isTrue());
        h.awaitIdle();
    }

    private void setUp() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.configMap(NS, "control", Map.of("k", "0"));
        h.create(workload(D, NS, "web", Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("cfg")));
        h.create(workload(D, NS, "control", Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("control")));
    }

    @Test
    void envVarsThenAnnotationsThenEnvVarsRollsOncePerChange() {
        setUp();
        h.start("--reload-strategy=env-vars");
        long g0 = generation("web");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "v2"))));
        assertThat(generation("web") - g0).isEqualTo(1);
        h.stopController();

        h.start("--reload-strategy=annotations");
        barrier("1");
        assertThat(generation("web") - g0).as("the switch itself rolls nothing").isEqualTo(1);
        h.updateConfigMap(NS, "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(markerHash("web")).isEqualTo(hashOf(Map.of("k", "v3"))));
        assertThat(var("web")).as("the stale variable went in the same write").isNull();
        barrier("2");
        assertThat(generation("web") - g0).as("one rollout for the change, none for the cleanup").isEqualTo(2);
        h.stopController();

        h.start("--reload-strategy=env-vars");
        barrier("3");
        assertThat(generation("web") - g0).isEqualTo(2);
        h.updateConfigMap(NS, "cfg", Map.of("k", "v4"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "v4"))));
        barrier("4");
        assertThat(generation("web") - g0).isEqualTo(3);
        assertThat(markerHash("web")).as("a stale last-reloaded-from annotation is left alone")
                .isEqualTo(hashOf(Map.of("k", "v3")));
    }

    @Test
    void keepStaleEnvVarsKeepsThem() {
        setUp();
        h.start("--reload-strategy=env-vars");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "v2"))));
        h.stopController();

        h.start("--reload-strategy=annotations", "--keep-stale-env-vars");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(markerHash("web")).isEqualTo(hashOf(Map.of("k", "v3"))));
        assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "v2")));
    }
}
