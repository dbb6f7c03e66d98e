package io.reloader.it;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.EnvVarNames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Randomised change sequences (seeded; the seed is in the test name and every message) with API errors injected
 * on writes (409, 429, 500). After each run: every workload reflects the final hash of every source it follows,
 * and no workload was written more often than the bursts that touched it.
 */
class FaultInjectionIT extends HarnessIT {
    private static final String NS = "chaos";
    private static final int SOURCES = 4;
    private static final int WORKLOADS = 6;
    private static final int BURSTS = 5;

    @org.junit.jupiter.api.Test
    void aWorkloadWhoseWritesKeepFailingDoesNotStallOthers() {
        h.configMap("slow", "cfg", Map.of("v", "0"));
        h.configMap("fast", "cfg", Map.of("v", "0"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "slow", "stuck", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        for (int i = 0; i < 6; i++) {
            h.create(workload(WorkloadKind.DEPLOYMENT, "fast", "w-" + i, Map.of("reloader.stakater.com/auto", "true"),
                    envFromConfigMaps("cfg")));
        }
        h.server.expect().patch().withPath("/apis/apps/v1/namespaces/slow/deployments/stuck?fieldManager=Reloader")
                .andReturn(503, new StatusBuilder().withCode(503).withMessage("injected outage").build()).always();
        h.start("--coalesce-window=0s", "--workers=2");
        h.updateConfigMap("slow", "cfg", Map.of("v", "1"));
        h.updateConfigMap("fast", "cfg", Map.of("v", "1"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(java.util.stream.IntStream.range(0, 6)).allMatch(i ->
                hashOf(Map.of("v", "1")).equals(h.env(WorkloadKind.DEPLOYMENT, "fast", "w-" + i, "app",
                        "STAKATER_CFG_CONFIGMAP"))));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events("slow")).anyMatch(e -> "ReloadRetrying".equals(e.getReason())));
        assertThat(h.events("slow")).as("a retryable failure is never given up on")
                .noneMatch(e -> "ReloadFail".equals(e.getReason()));
        assertThat(h.env(WorkloadKind.DEPLOYMENT, "slow", "stuck", "app", "STAKATER_CFG_CONFIGMAP")).isNull();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42})
    void randomBurstsWithInjectedWriteErrorsConverge(long seed) {
        Random random = new Random(seed);
        Map<String, List<String>> follows = new LinkedHashMap<>();
        Map<String, Map<String, String>> data = new HashMap<>();
        for (int s = 0; s < SOURCES; s++) {
            data.put("src-" + s, Map.of("v", "0"));
            h.configMap(NS, "src-" + s, data.get("src-" + s));
        }
        for (int w = 0; w < WORKLOADS; w++) {
            List<String> srcs = new ArrayList<>();
            for (int s = 0; s < SOURCES; s++) {
                if (random.nextInt(3) == 0 || (s == w % SOURCES)) {
                    srcs.add("src-" + s);
                }
            }
            follows.put("w-" + w, srcs);
            h.create(workload(WorkloadKind.DEPLOYMENT, NS, "w-" + w, Map.of("reloader.stakater.com/auto", "true"),
                    envFromConfigMaps(srcs.toArray(String[]::new))));
            int code = List.of(409, 429, 500).get(random.nextInt(3));
            h.server.expect().patch().withPath("/apis/apps/v1/namespaces/" + NS + "/deployments/w-" + w
                            + "?fieldManager=Reloader")
                    .andReturn(code, new StatusBuilder().withCode(code).withMessage("injected " + code).build())
                    .times(1 + random.nextInt(2));
        }
        h.start("--coalesce-window=300ms");
        Map<String, Integer> burstsTouching = new HashMap<>();
        for (int b = 0; b < BURSTS; b++) {
            List<String> changed = new ArrayList<>();
            for (int s = 0; s < SOURCES; s++) {
                if (random.nextBoolean()) {
                    Map<String, String> d = Map.of("v", seed + "-" + b + "-" + s);
                    data.put("src-" + s, d);
                    h.updateConfigMap(NS, "src-" + s, d);
                    changed.add("src-" + s);
                }
            }
            follows.forEach((w, srcs) -> {
                if (srcs.stream().anyMatch(changed::contains)) {
                    burstsTouching.merge(w, 1, Integer::sum);
                }
            });
            h.awaitIdle();
        }
        String context = "seed " + seed + ", follows " + follows;
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> follows.forEach((w, srcs) -> {
            for (String s : srcs) {
                String expected = data.get(s).get("v").equals("0") ? null : hashOf(data.get(s));
                assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, w, "app", EnvVarNames.of(s, SourceType.CONFIGMAP)))
                        .as("%s: %s follows %s", context, w, s).isEqualTo(expected);
            }
        }));
        h.awaitIdle();
        assertThat(h.metrics().scrape()).as("%s: the injected errors were met and retried", context)
                .containsPattern("reloader_retries_total [1-9]");
        for (String w : follows.keySet()) {
            long successfulWrites = h.get(WorkloadKind.DEPLOYMENT, NS, w).getMetadata().getGeneration() - 1;
            assertThat(successfulWrites).as("%s: rollouts of %s", context, w)
                    .isLessThanOrEqualTo(burstsTouching.getOrDefault(w, 0));
        }
    }
}
