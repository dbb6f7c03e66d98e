package io.reloader.it;

import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.EnvVarNames;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Annotations written to exhaust the controller cost that workload a log line and an Event; every other
 * workload keeps reloading at its usual speed.
 */
class HostileAnnotationsIT extends HarnessIT {
    private static final String NS = "tenant";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");

    private String var(String workload, String configMap) {
        return h.env(D, NS, workload, "app", EnvVarNames.of(configMap, SourceType.CONFIGMAP));
    }

    @Test
    void aPatternGoRejectsIsAnInvalidAnnotationAndOthersKeepReloading() {
        String hostile = "((a{1000}){1000}){1000}";
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.configMap(NS, "aaa", Map.of("k", "v"));
        h.create(workload(D, NS, "hostile", Map.of("configmap.reloader.stakater.com/reload", hostile + ",cfg"),
                envFromConfigMaps()));
        h.create(workload(D, NS, "control", AUTO, envFromConfigMaps("cfg")));
        h.start();
        h.updateConfigMap(NS, "aaa", Map.of("k", "v2"));
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));

        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("control", "cfg")).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("hostile", "cfg")).isEqualTo(hashOf(Map.of("k", "v2"))));
        h.awaitIdle();
        assertThat(var("hostile", "aaa")).as("the invalid item matches nothing").isNull();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS))
                .filteredOn(e -> "ReloadAnnotationInvalid".equals(e.getReason()))
                .anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("hostile");
                    assertThat(e.getMessage()).contains("configmap.reloader.stakater.com/reload")
                            .contains("invalid repeat count");
                }));
        assertThat(h.logLines()).anyMatch(l -> l.contains("Skipping invalid reload annotation on Deployment 'hostile'")
                && l.contains("invalid repeat count"));
    }

    @Test
    void aBacktrackingKeysGlobOnFourWorkloadsDoesNotHoldUpOtherReloads() {
        String longKey = "a".repeat(250);
        h.configMap(NS, "cm", Map.of(longKey, "v", "other", "x"));
        Map<String, String> annotations = new LinkedHashMap<>(AUTO);
        annotations.put("reloader.stakater.com/referenced-keys-only", "true");
        annotations.put("reloader.stakater.com/keys", "cm/*a*a*a*a*a*a*a*a*b");
        for (int i = 0; i < 4; i++) {
            h.create(workload(D, NS, "glob-" + i, annotations, envFromConfigMaps("cm")));
        }
        List<String> others = IntStream.range(0, 10).mapToObj(i -> "other-" + i).toList();
        for (String o : others) {
            h.configMap(NS, o, Map.of("k", "v"));
            h.create(workload(D, NS, o, AUTO, envFromConfigMaps(o)));
        }
        h.start("--workers=4");
        h.updateConfigMap(NS, "cm", Map.of(longKey, "v2", "other", "x"));
        long t0 = System.nanoTime();
        others.forEach(o -> h.updateConfigMap(NS, o, Map.of("k", "v2")));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(others).allMatch(o -> hashOf(Map.of("k", "v2")).equals(var(o, o))));
        System.out.printf("ten other reloads done %d ms after the glob change%n", (System.nanoTime() - t0) / 1_000_000);
        h.awaitIdle();
        for (int i = 0; i < 4; i++) {
            assertThat(var("glob-" + i, "cm")).as("no followed key changed").isNull();
        }
        // A key the glob does match does roll them: the matcher is right, not just fast.
        h.updateConfigMap(NS, "cm", Map.of(longKey + "b", "v", "other", "x"));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(IntStream.range(0, 4)).allMatch(i -> var("glob-" + i, "cm") != null));
    }
}
