package io.reloader.it;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.reloader.controller.ReloaderController;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /ready} says when a required watch stays down: changes to what it watches would be missed. */
class ReadinessIT extends HarnessIT {

    @Test
    void notReadyWhileTheConfigMapWatchIsDownPastTheGraceAndReadyAgainOnceItIsBack() {
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        // The first ConfigMap watch ends after 2 s with 410 Gone; the lists and watches that follow fail while
        // "down" is set.
        h.server.expect().get().withPath("/api/v1/configmaps-first?watch=true").andUpgradeToWebSocket().open()
                .waitFor(2000).andEmit(new WatchEvent(new StatusBuilder().withCode(410).withReason("Expired")
                        .withMessage("too old resource version").build(), "ERROR")).done().once();
        h.server.expect().get().withPath("/api/v1/configmaps-down").andReturn(500, new StatusBuilder().withCode(500)
                .withMessage("injected").build()).always();
        AtomicBoolean down = new AtomicBoolean();
        AtomicInteger watches = new AtomicInteger();
        h.interceptControllerRequests("down", new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                URI uri = request.uri();
                if (!uri.getPath().equals("/api/v1/configmaps")) {
                    return;
                }
                boolean watch = String.valueOf(uri.getQuery()).contains("watch=true");
                if (watch && watches.getAndIncrement() == 0) {
                    builder.uri(uri.resolve("/api/v1/configmaps-first?watch=true"));
                } else if (down.get()) {
                    builder.uri(uri.resolve("/api/v1/configmaps-down"));
                }
            }
        });
        ReloaderController controller = h.start();
        controller.readinessGrace(Duration.ofSeconds(1), Clock.systemUTC());
        assertThat(controller.isReady()).isTrue();
        down.set(true);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(controller.isReady()).as("controller.isReady()").isFalse());
        down.set(false);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(controller.isReady()).as("controller::isReady").isTrue());
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
    }
}
