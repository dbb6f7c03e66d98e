package io.reloader.queue;

import io.reloader.config.TimingOptions.Settle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The merge hook: items of one identity that meet in a batch are joined earlier-first, whichever way they meet
 * (a burst, or a deferred item handed back into a batch that formed while it waited). The decision relies on it
 * to keep the state before the burst.
 */
class CoalescingQueueMergeTest {
    private final ManualQueueClock clock = new ManualQueueClock();

    @Test
    void itemsOfOneIdentityAreJoinedEarlierFirstAlsoWhenADeferredItemComesBack() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        AtomicBoolean deferFirst = new AtomicBoolean(true);
        CoalescingQueue<String, String, Character> q = new CoalescingQueue<String, String, Character>(
                key -> new Settle(Duration.ofMillis(500), Duration.ofSeconds(2)), 1, s -> s.charAt(0),
                (k, items, failures) -> {
                    if (deferFirst.getAndSet(false)) {
                        return Result.requeueAfter(Duration.ofMillis(100));
                    }
                    batches.add(items);
                    return Result.done();
                }, QueueListener.none(), FailureListener.none(),
                new QueueSettings(clock, Duration.ofMillis(5), Duration.ofSeconds(1000), 10, 100))
                .mergingWith((earlier, later) -> earlier + "+" + later);
        try {
            q.offer("w", "a1");
            q.offer("w", "a2"); // a burst: joined
            clock.advance(Duration.ofMillis(500));
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(deferFirst).isFalse());
            q.offer("w", "a3"); // pending for 500 ms; a1+a2 comes back into it after 100 ms, as the earlier
            clock.advance(Duration.ofMillis(100));
            clock.advance(Duration.ofMillis(400));
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(batches).hasSize(1));
        } finally {
            q.close(Duration.ofSeconds(1));
        }
        assertThat(batches).containsExactly(List.of("a1+a2+a3"));
    }
}
