package io.reloader.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.reloader.hash.SourceHasher;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.EnvVarNames;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A corpus of awkward input, all at once: every item gets its outcome (a reload, a log line, an Event) and the
 * controller keeps serving, proven by a control workload reloading last.
 */
class BadInputIT extends HarnessIT {
    private static final String NS = "corpus";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");

    private String var(String workload, String configMap) {
        return h.env(D, NS, workload, "app", EnvVarNames.of(configMap, SourceType.CONFIGMAP));
    }

    @Test
    void awkwardInputIsHandledAndTheControllerKeepsServing() {
        String longName = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
        assertThat(longName).hasSize(253);
        StringBuilder hugeList = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            hugeList.append("cfg-").append(i).append(i % 2000 == 0 ? "[" : "").append(',');
        }
        hugeList.append("listed-last");
        for (String cm : List.of("big", "empty-later", "binary", longName, "listed-last", "control")) {
            h.configMap(NS, cm, Map.of("k", "v"));
        }
        h.create(workload(D, NS, "big", AUTO, envFromConfigMaps("big")));
        h.create(workload(D, NS, "empty-later", AUTO, envFromConfigMaps("empty-later")));
        h.create(workload(D, NS, "binary", AUTO, envFromConfigMaps("binary")));
        h.create(workload(D, NS, "long-name", AUTO, envFromConfigMaps(longName)));
        h.create(workload(D, NS, "huge-list", Map.of("configmap.reloader.stakater.com/reload", hugeList.toString()),
                envFromConfigMaps()));
        h.create(workload(D, NS, "unicode-bool", Map.of("reloader.stakater.com/auto", "tr\u00fce \u2713"),
                envFromConfigMaps("control")));
        h.create(workload(WorkloadKind.STATEFULSET, NS, "paused-sts", Map.of("reloader.stakater.com/auto", "true",
                "deployment.reloader.stakater.com/pause-period", "5m"), envFromConfigMaps("big")));
        h.create(workload(D, NS, "control", AUTO, envFromConfigMaps("control")));
        h.start();

        String mebibyte = "x".repeat(1000 * 1024);
        h.updateConfigMap(NS, "big", Map.of("k", mebibyte));
        h.updateConfigMap(NS, "empty-later", Map.of());
        var binary = h.client.configMaps().inNamespace(NS).withName("binary").edit(c -> new ConfigMapBuilder(c)
                .withData(Map.of()).withBinaryData(Map.of("blob", Base64.getEncoder().encodeToString(new byte[] {0, -1, 7})))
                .build());
        h.updateConfigMap(NS, longName, Map.of("k", "v2"));
        h.updateConfigMap(NS, "listed-last", Map.of("k", "v2"));
        h.updateConfigMap(NS, "control", Map.of("k", "v2"));

        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("control", "control")).isEqualTo(hashOf(Map.of("k", "v2"))));
        h.awaitIdle();
        assertThat(var("big", "big")).isEqualTo(hashOf(Map.of("k", mebibyte)));
        assertThat(var("empty-later", "empty-later")).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assertThat(var("binary", "binary")).isEqualTo(SourceHasher.configMap(binary));
        assertThat(var("long-name", longName)).isEqualTo(hashOf(Map.of("k", "v2")));
        assertThat(var("huge-list", "listed-last")).as("item 5,001: past the 256-item bound, reported, not followed")
                .isNull();
        assertThat(var("unicode-bool", "control")).isNull();
        assertThat(h.env(WorkloadKind.STATEFULSET, NS, "paused-sts", "app", "STAKATER_BIG_CONFIGMAP"))
                .as("pause-period on a StatefulSet: warning, then a normal reload")
                .isEqualTo(hashOf(Map.of("k", mebibyte)));

        List<String> logs = new ArrayList<>(h.logLines());
        assertThat(logs).anyMatch(l -> l.contains("level=warning msg=\"Annotation 'deployment.reloader.stakater.com/"
                + "pause-period' only applicable for deployments\""));
        assertThat(logs).filteredOn(l -> l.contains("Skipping invalid reload annotation on Deployment 'huge-list'"))
                .isNotEmpty().allSatisfy(l -> assertThat(l.length()).isLessThan(2000))
                .anyMatch(l -> l.contains("the list has more than 256 items"));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS).stream()
                .filter(e -> "ReloadAnnotationInvalid".equals(e.getReason())).map(e -> e.getInvolvedObject().getName())
                .toList()).contains("huge-list", "unicode-bool"));
        assertThat(h.events(NS)).allSatisfy(e -> assertThat(e.getMessage().length()).isLessThanOrEqualTo(1024));
        assertThat(h.events(NS)).filteredOn(e -> "ReloadFail".equals(e.getReason())).isEmpty();
    }
}
