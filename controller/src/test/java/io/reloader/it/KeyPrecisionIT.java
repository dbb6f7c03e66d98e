package io.reloader.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Key-level precision: one ConfigMap shared by workloads that each read a different key; a key change rolls
 * exactly the workloads that read it (or all keys: envFrom, whole volumes).
 */
class KeyPrecisionIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");
    private final Map<String, String> data = new LinkedHashMap<>(Map.of("a", "1", "b", "1", "c", "1"));

    private static PodSpec readsKey(String key) {
        return new PodSpecBuilder().addNewContainer().withName("app").withImage("i").addNewEnv().withName("VALUE")
                .withNewValueFrom().withNewConfigMapKeyRef().withName("shared").withKey(key).endConfigMapKeyRef()
                .endValueFrom().endEnv().endContainer().build();
    }

    private static PodSpec mountsItem(String key) {
        return new PodSpecBuilder().addNewContainer().withName("app").withImage("i").addNewVolumeMount()
                .withName("cfg").withMountPath("/etc/app").endVolumeMount().endContainer().addNewVolume()
                .withName("cfg").withNewConfigMap().withName("shared").addNewItem().withKey(key).withPath(key + ".conf")
                .endItem().endConfigMap().endVolume().build();
    }

    private static PodSpec mountsSubPath(String key) {
        return new PodSpecBuilder().addNewContainer().withName("app").withImage("i").addNewVolumeMount()
                .withName("cfg").withMountPath("/etc/" + key).withSubPath(key).endVolumeMount().endContainer()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("shared").endConfigMap().endVolume().build();
    }

    private long generation(String name) {
        Long g = h.get(D, NS, name).getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    private Map<String, Long> generations(List<String> names) {
        Map<String, Long> g = new HashMap<>();
        names.forEach(n -> g.put(n, generation(n)));
        return g;
    }

    private static final List<String> ALL = List.of("reads-a", "item-b", "subpath-c", "env-from", "listed-c",
            "opted-out-a");

    /** Changes one key, waits for the workloads that must roll, and returns which rolled. */
    private List<String> change(String key, String value, List<String> expected) {
        Map<String, Long> before = generations(ALL);
        if (value == null) {
            data.remove(key);
        } else {
            data.put(key, value);
        }
        h.client.configMaps().inNamespace(NS).withName("shared").edit(c -> new ConfigMapBuilder(c)
                .withData(new LinkedHashMap<>(data)).build());
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(expected).allMatch(n -> generation(n) > before.get(n)));
        h.awaitIdle();
        return ALL.stream().filter(n -> generation(n) > before.get(n)).toList();
    }

    @Test
    void aKeyChangeRollsExactlyTheWorkloadsThatReadIt() {
        h.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("shared")
                .withNamespace(NS).endMetadata().withData(new LinkedHashMap<>(data)).build()).create();
        h.create(workload(D, NS, "reads-a", AUTO, readsKey("a")));
        h.create(workload(D, NS, "item-b", AUTO, mountsItem("b")));
        h.create(workload(D, NS, "subpath-c", AUTO, mountsSubPath("c")));
        h.create(workload(D, NS, "env-from", AUTO, envFromConfigMaps("shared")));
        h.create(workload(D, NS, "listed-c", Map.of("reloader.stakater.com/auto", "true", AnnotationKeys.KEYS,
                "shared/c, other/x"), envFromConfigMaps("shared")));
        h.create(workload(D, NS, "opted-out-a", Map.of("reloader.stakater.com/auto", "true",
                AnnotationKeys.REFERENCED_KEYS_ONLY, "false"), readsKey("a")));
        h.start("--referenced-keys-only");

        assertThat(change("a", "2", List.of("reads-a", "env-from", "opted-out-a")))
                .containsExactlyInAnyOrder("reads-a", "env-from", "opted-out-a");
        assertThat(change("b", "2", List.of("item-b", "env-from", "opted-out-a")))
                .containsExactlyInAnyOrder("item-b", "env-from", "opted-out-a");
        assertThat(change("c", "2", List.of("subpath-c", "env-from", "listed-c", "opted-out-a")))
                .containsExactlyInAnyOrder("subpath-c", "env-from", "listed-c", "opted-out-a");
        assertThat(change("d", "new", List.of("env-from", "opted-out-a")))
                .as("a new key nobody reads by name").containsExactlyInAnyOrder("env-from", "opted-out-a");
        assertThat(change("a", null, List.of("reads-a", "env-from", "opted-out-a")))
                .as("a removed key counts as a change").containsExactlyInAnyOrder("reads-a", "env-from", "opted-out-a");
        assertThat(h.env(D, NS, "reads-a", "app", "STAKATER_SHARED_CONFIGMAP")).as("a key-scoped marker value")
                .startsWith("keys:");
    }

    @Test
    void switchingTheModeRollsEachWorkloadAtMostOnce() {
        h.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("shared")
                .withNamespace(NS).endMetadata().withData(new LinkedHashMap<>(data)).build()).create();
        h.create(workload(D, NS, "reads-a", AUTO, readsKey("a")));
        h.create(workload(D, NS, "env-from", AUTO, envFromConfigMaps("shared")));
        h.start();
        data.put("b", "2");
        h.client.configMaps().inNamespace(NS).withName("shared").edit(c -> new ConfigMapBuilder(c)
                .withData(new LinkedHashMap<>(data)).build());
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(generation("reads-a")).isEqualTo(2);
            assertThat(generation("env-from")).isEqualTo(2);
        });
        h.stopController();

        h.start("--referenced-keys-only"); // reads-a now carries a whole-source hash: caught up once
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(generation("reads-a")).isEqualTo(3));
        h.awaitIdle();
        h.stopController();
        h.start("--referenced-keys-only");
        h.awaitIdle();
        h.stopController();
        h.start(); // and back: once more, then never again
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(generation("reads-a")).isEqualTo(4));
        h.awaitIdle();
        h.stopController();
        h.start();
        h.awaitIdle();
        assertThat(generation("reads-a")).isEqualTo(4);
        assertThat(generation("env-from")).as("a workload that reads every key is never affected").isEqualTo(2);
    }
}
