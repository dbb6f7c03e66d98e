package io.reloader.kube;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventLoopProbeIT {
    @Test
    void aBlockedLoopShowsAsADelayAtLeastAsLongAsTheBlock() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        AtomicLong longest = new AtomicLong();
        AtomicLong probes = new AtomicLong();
        try (EventLoopProbe probe = EventLoopProbe.start(vertx, 1, Duration.ofMillis(20), nanos -> {
            probes.incrementAndGet();
            longest.accumulateAndGet(nanos, Math::max);
        })) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(probes.get()).isGreaterThanOrEqualTo(3));
            // Only one loop: a new context runs on the same one the probe uses.
            vertx.getOrCreateContext().runOnContext(v -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(longest.get()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200)));
            long seen = probes.get();
            probe.close();
            assertThat(seen).isGreaterThanOrEqualTo(3);
        } finally {
            vertx.close();
        }
    }
}
