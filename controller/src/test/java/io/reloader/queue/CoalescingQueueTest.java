package io.reloader.queue;

import io.reloader.config.TimingOptions.Settle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CoalescingQueueTest {

    @Test
    void itemsForOneKeyWithinTheWindowAreHandledOnceLatestPerIdentity() {
        Map<String, List<List<String>>> handled = new ConcurrentHashMap<>();
        try (CoalescingQueue<String, String, Character> q = new CoalescingQueue<>(Duration.ofMillis(300), 2,
                s -> s.charAt(0), (k, items) -> handled.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>()).add(items),
                QueueListener.none())) {
            assertThat(q.offer("w1", "a1")).isFalse();
            assertThat(q.offer("w1", "b1")).isTrue();
            assertThat(q.offer("w1", "a2")).isTrue();
            q.offer("w2", "a1");
            await().atMost(5, TimeUnit.SECONDS).until(q::idle);
        }
        assertThat(handled.get("w1")).containsExactly(List.of("b1", "a2"));
        assertThat(handled.get("w2")).containsExactly(List.of("a1"));
    }

    @Test
    void aKeyIsNeverHandledConcurrentlyAndLateItemsFormTheNextBatch() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        try (CoalescingQueue<String, String, String> q = new CoalescingQueue<>(Duration.ZERO, 4, s -> s,
                (k, items) -> {
                    batches.add(items);
                    inHandler.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, QueueListener.none())) {
            q.offer("w", "first");
            assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
            q.offer("w", "second");
            q.offer("w", "third");
            Thread.sleep(100); // the second batch must wait for the first, however long it takes
            assertThat(batches).hasSize(1);
            release.countDown();
            await().atMost(5, TimeUnit.SECONDS).until(q::idle);
        }
        assertThat(batches).containsExactly(List.of("first"), List.of("second", "third"));
    }

    @Test
    void aBatchWhoseHandlerThrowsIsHandedBackWithBackoffUntilItSucceeds() {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<List<String>> succeeded = new CopyOnWriteArrayList<>();
        try (CoalescingQueue<String, String, String> q = new CoalescingQueue<>(key -> Settle.IMMEDIATE, 1, s -> s,
                (k, items) -> {
                    if (runs.incrementAndGet() <= 2) {
                        throw new IllegalStateException("boom " + runs.get());
                    }
                    succeeded.add(items);
                }, QueueListener.none(), new HandlerRetry(5, Duration.ofMillis(10), Duration.ofMillis(50)),
                (key, items, error, attempt, givingUp) -> failures.add(key + "#" + attempt + (givingUp ? "!" : "")))) {
            q.offer("w", "change");
            await().atMost(5, TimeUnit.SECONDS).until(() -> !succeeded.isEmpty() && q.idle());
        }
        assertThat(runs).hasValue(3);
        assertThat(failures).containsExactly("w#1", "w#2");
        assertThat(succeeded).containsExactly(List.of("change"));
    }

    @Test
    void afterTheLastAttemptTheQueueGivesUpOnceAndSaysSo() {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        try (CoalescingQueue<String, String, String> q = new CoalescingQueue<>(key -> Settle.IMMEDIATE, 2, s -> s,
                (k, items) -> {
                    if (k.equals("bad")) {
                        runs.incrementAndGet();
                        throw new NullPointerException();
                    }
                }, QueueListener.none(), new HandlerRetry(3, Duration.ofMillis(5), Duration.ofMillis(20)),
                (key, items, error, attempt, givingUp) -> failures.add(key + "#" + attempt + (givingUp ? "!" : "")
                        + items))) {
            q.offer("bad", "c1");
            q.offer("good", "c2");
            await().atMost(5, TimeUnit.SECONDS).until(() -> failures.size() == 3 && q.idle());
        }
        assertThat(runs).hasValue(3);
        assertThat(failures).containsExactly("bad#1[c1]", "bad#2[c1]", "bad#3![c1]");
    }

    @Test
    void backoffGrowsExponentiallyUpToTheCap() {
        HandlerRetry retry = new HandlerRetry(10, Duration.ofMillis(500), Duration.ofSeconds(3));
        assertThat(retry.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(retry.backoff(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(retry.backoff(4)).isEqualTo(Duration.ofSeconds(3));
        assertThat(retry.backoff(60)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aBurstSettlesAfterItsQuietPeriodAndAKeyCanHaveItsOwn() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        // "slow" settles after 1 s of quiet (at most 10 s); "fast" after 10 ms.
        try (CoalescingQueue<String, String, String> q = new CoalescingQueue<>(key -> key.equals("slow")
                ? new Settle(Duration.ofSeconds(1), Duration.ofSeconds(10)) : new Settle(Duration.ofMillis(10),
                Duration.ofMillis(10)), 2, s -> s, (k, items) -> handled.add(k + items),
                QueueListener.none(), HandlerRetry.defaults(), FailureListener.none())) {
            q.offer("slow", "a");
            q.offer("fast", "a");
            await().atMost(5, TimeUnit.SECONDS).until(() -> handled.contains("fast[a]"));
            // Keep "slow" busy: each item comes well within its quiet period, so nothing is handed over yet.
            for (String item : List.of("b", "c", "d")) {
                assertThat(handled).noneMatch(h -> h.startsWith("slow"));
                q.offer("slow", item);
                Thread.sleep(200);
            }
            await().atMost(5, TimeUnit.SECONDS).until(q::idle);
        }
        assertThat(handled).filteredOn(h -> h.startsWith("slow")).containsExactly("slow[a, b, c, d]");
    }

    @Test
    void theMaximumWaitBoundsABurstThatNeverSettles() {
        List<List<String>> handled = new CopyOnWriteArrayList<>();
        try (CoalescingQueue<String, String, String> q = new CoalescingQueue<>(key -> new Settle(Duration.ofSeconds(5),
                Duration.ofMillis(300)), 1, s -> s, (k, items) -> handled.add(items), QueueListener.none(),
                HandlerRetry.defaults(), FailureListener.none())) {
            q.offer("w", "a");
            await().atMost(3, TimeUnit.SECONDS).until(() -> handled.size() == 1);
        }
        assertThat(handled).containsExactly(List.of("a"));
    }
}
