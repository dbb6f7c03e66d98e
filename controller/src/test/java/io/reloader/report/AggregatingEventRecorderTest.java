package io.reloader.report;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Events are sent off the caller's thread, counted up within the window, and dropped (counted) when full. */
class AggregatingEventRecorderTest {
    private static final HasMetadata WEB = new DeploymentBuilder().withNewMetadata().withName("web")
            .withNamespace("ns").withUid("u1").endMetadata().build();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** Records calls: "create <name>" and "update <name> <count>". */
    private static final class RecordingSink implements EventSink {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile CountDownLatch gate = new CountDownLatch(0);
        private int created;

        @Override
        public String create(HasMetadata involved, String type, String reason, String message, String component,
                             Instant at) {
            await(gate);
            String name = "e" + (++created);
            calls.add("create " + name + " " + reason);
            return name;
        }

        @Override
        public boolean update(String namespace, String name, int count, String message, Instant at) {
            calls.add("update " + name + " " + count + (message.startsWith("(combined") ? " combined" : ""));
            return true;
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void theSameEventWithinTheWindowCountsUpOneEventObject() {
        RecordingSink sink = new RecordingSink();
        try (AggregatingEventRecorder r = new AggregatingEventRecorder(sink, Duration.ofMinutes(10), 100, clock,
                reason -> { })) {
            for (int i = 0; i < 5; i++) {
                r.record(WEB, "Warning", "ReloadAnnotationInvalid", "bad regex", "reloader");
            }
            r.record(WEB, "Warning", "ReloadAnnotationInvalid", "another message", "reloader");
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(r.idle()).as("r::idle").isTrue());
            clock.advance(Duration.ofMinutes(11));
            r.record(WEB, "Warning", "ReloadAnnotationInvalid", "bad regex", "reloader");
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(sink.calls.size()).isEqualTo(7);
                assertThat(r.idle()).as("r.idle()").isTrue();
            });
        }
        assertThat(sink.calls).containsExactly("create e1 ReloadAnnotationInvalid", "update e1 2", "update e1 3",
                "update e1 4", "update e1 5", "create e2 ReloadAnnotationInvalid", "create e3 ReloadAnnotationInvalid");

    }

    @Test
    void recordNeverBlocksAndAFullQueueDropsAndCounts() {
        RecordingSink sink = new RecordingSink();
        sink.gate = new CountDownLatch(1); // the API server hangs
        List<String> dropped = new CopyOnWriteArrayList<>();
        try (AggregatingEventRecorder r = new AggregatingEventRecorder(sink, Duration.ofMinutes(10), 3, clock,
                dropped::add)) {
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                r.record(WEB, "Normal", "Reloaded", "m" + i, "reloader-configmaps");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(dropped).hasSizeBetween(16, 17).containsOnly("Reloaded");
            sink.gate.countDown();
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(r.idle()).as("r::idle").isTrue());
        }
        assertThat(sink.calls).hasSizeBetween(3, 4);
    }

    @Test
    void aFlappingValueBeyondTenMessagesCountsUpOneCombinedEvent() {
        RecordingSink sink = new RecordingSink();
        try (AggregatingEventRecorder r = new AggregatingEventRecorder(sink, Duration.ofMinutes(10), 100, clock,
                reason -> { })) {
            for (int i = 0; i < 25; i++) {
                r.record(WEB, "Warning", "ReloadAnnotationInvalid", "invalid regex value-" + i, "reloader");
            }
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(sink.calls.size()).isEqualTo(25);
                assertThat(r.idle()).as("r.idle()").isTrue();
            });
        }
        assertThat(sink.calls).filteredOn(c -> c.startsWith("create")).hasSize(11);
        assertThat(sink.calls.get(24)).isEqualTo("update e11 15 combined");
    }
}
