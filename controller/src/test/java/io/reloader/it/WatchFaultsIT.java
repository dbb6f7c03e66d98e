package io.reloader.it;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watch faults, injected on the controller's client: the first ConfigMap watch is redirected to a path the API
 * server answers with {@code 410 Gone} (or with a websocket that closes at once), after a change was made behind
 * the controller's back between its list and its watch.
 */
class WatchFaultsIT extends HarnessIT {

    /** Redirects the first ConfigMap watch to {@code path}, running {@code before} first. */
    private static Interceptor firstConfigMapWatch(String path, Runnable before) {
        AtomicBoolean done = new AtomicBoolean();
        return new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                URI uri = request.uri();
                if (uri.getPath().equals("/api/v1/configmaps") && String.valueOf(uri.getQuery()).contains("watch=true")
                        && done.compareAndSet(false, true)) {
                    before.run();
                    builder.uri(uri.resolve(path));
                }
            }
        };
    }

    @Test
    void aGoneWatchForcesARelistAndTheChangeMadeMeanwhileIsReloaded() {
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.server.expect().get().withPath("/api/v1/configmaps-gone?watch=true")
                .andReturn(410, new StatusBuilder().withCode(410).withReason("Expired")
                        .withMessage("too old resource version").build()).once();
        h.interceptControllerRequests("gone", firstConfigMapWatch("/api/v1/configmaps-gone?watch=true",
                () -> h.updateConfigMap("shop", "cfg", Map.of("k", "v2"))));
        h.start();
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        assertThat(h.requests()).anyMatch(r -> r.getPath().startsWith("/api/v1/configmaps-gone"));
    }

    @Test
    void aDroppedWatchIsReopenedAndLaterChangesStillReload() {
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.server.expect().get().withPath("/api/v1/configmaps-dropped?watch=true").andUpgradeToWebSocket().open()
                .done().once();
        h.interceptControllerRequests("drop", firstConfigMapWatch("/api/v1/configmaps-dropped?watch=true", () -> { }));
        h.start();
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        assertThat(h.requests()).anyMatch(r -> r.getPath().startsWith("/api/v1/configmaps-dropped"));
    }
}
