package io.reloader.it;

import io.fabric8.kubernetes.api.model.Event;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.ReloadedFromMarker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each workload kind with each strategy, end to end on the in-process API server. */
class ReloadIT extends HarnessIT {
    private static final String NS = "shop";

    static Stream<Arguments> kindsAndStrategies() {
        return Stream.of(WorkloadKind.DEPLOYMENT, WorkloadKind.DAEMONSET, WorkloadKind.STATEFULSET).flatMap(k -> Stream.of(Arguments.of(k, "env-vars"),
                Arguments.of(k, "annotations")));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("kindsAndStrategies")
    void aConfigMapDataChangeRollsTheWorkload(WorkloadKind kind, String strategy) {
        h.configMap(NS, "app-config", Map.of("greeting", "hello"));
        h.create(workload(kind, NS, "web", Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("app-config")));
        h.start("--reload-strategy=" + strategy);

        Map<String, String> newData = Map.of("greeting", "hello, world");
        h.updateConfigMap(NS, "app-config", newData);
        String hash = hashOf(newData);

        if (strategy.equals("env-vars")) {
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(h.env(kind, NS, "web", "app", "STAKATER_APP_CONFIG_CONFIGMAP")).isEqualTo(hash));
            assertThat(h.templateAnnotation(kind, NS, "web", AnnotationKeys.LAST_RELOADED_FROM)).isNull();
        } else {
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(h.templateAnnotation(kind, NS, "web", AnnotationKeys.LAST_RELOADED_FROM)).isNotNull());
            ReloadedFromMarker marker = ReloadedFromMarker.parse(
                    h.templateAnnotation(kind, NS, "web", AnnotationKeys.LAST_RELOADED_FROM)).orElseThrow();
            assertThat(marker.hash()).isEqualTo(hash);
            assertThat(marker.name()).isEqualTo("app-config");
            assertThat(marker.namespace()).isEqualTo(NS);
            assertThat(marker.containerRefs()).containsExactly("app");
            assertThat(h.env(kind, NS, "web", "app", "STAKATER_APP_CONFIG_CONFIGMAP")).isNull();
        }
        assertThat(h.get(kind, NS, "web").getMetadata().getAnnotations())
                .containsEntry(AnnotationKeys.APPLIED_HASHES, "{\"CONFIGMAP/app-config\":\"" + hash + "\"}");

        String expectedLog = "level=info msg=\"Changes detected in 'app-config' of type 'CONFIGMAP' in namespace 'shop'; "
                + "updated 'web' of type '" + kind.kindName() + "' in namespace 'shop'\" keys=\"[greeting]\"";
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.logLines()).anyMatch(l -> l.endsWith(expectedLog)));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e -> "Reloaded".equals(e.getReason())));
        Event event = h.events(NS).stream().filter(e -> "Reloaded".equals(e.getReason())).findFirst().orElseThrow();
        assertThat(event.getType()).isEqualTo("Normal");
        assertThat(event.getMessage()).isEqualTo("Changes detected in 'app-config' of type 'CONFIGMAP' in namespace "
                + "'shop', Updated 'web' of type '" + kind.kindName() + "' in namespace 'shop' (keys: greeting)");
        assertThat(event.getSource().getComponent()).isEqualTo("reloader-configmaps");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo(kind.kindName());
        assertThat(event.getInvolvedObject().getName()).isEqualTo("web");

        assertThat(h.patchesTo("/namespaces/shop/" + kind.name().toLowerCase() + "s/web")).isEqualTo(1);
        assertThat(h.requests()).as("a write needs no read first: the decision ran on the cache")
                .noneMatch(r -> r.getMethod().equals("GET") && r.getPath().startsWith("/apis/apps/v1/namespaces/shop/")
                        && "reloader-it".equals(r.getHeader("User-Agent")));
        assertThat(h.controllerRequests()).filteredOn(r -> !r.getMethod().equals("GET") && !r.getMethod().equals("DELETE"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.getPath()).contains("fieldManager=Reloader"));
    }
}
