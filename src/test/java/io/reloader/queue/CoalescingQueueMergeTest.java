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

    @Test
    void itemsOfOneIdentityAreJoinedEarlierFirstAlsoWhenADeferredItemComesBack() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        AtomicBoolean deferFirst = new AtomicBoolean(true);
        CoalescingQueue<String, String, Character>[] queue = new CoalescingQueue[1];
        try (CoalescingQueue<String, String, Character> q = new CoalescingQueue<>(
                key -> new Settle(Duration.ofMillis(500), Duration.ofSeconds(2)), 1, s -> s.charAt(0),
                (earlier, later) -> earlier + "+" + later, (k, items) -> {
                    if (deferFirst.getAndSet(false)) {
                        queue[0].offerLater(k, items, Duration.ofMillis(100));
                        return;
                    }
                    batches.add(items);
                }, QueueListener.none(), HandlerRetry.defaults(), FailureListener.none())) {
            queue[0] = q;
            q.offer("w", "a1");
            q.offer("w", "a2"); // a burst: joined
            await().atMost(5, TimeUnit.SECONDS).until(() -> !deferFirst.get());
            q.offer("w", "a3"); // pending for 500 ms; a1+a2 comes back into it after 100 ms, as the earlier
            await().atMost(5, TimeUnit.SECONDS).until(q::idle);
        }
        assertThat(batches).containsExactly(List.of("a1+a2+a3"));
    }
}
