package io.reloader.queue;

import io.reloader.config.TimingOptions.Settle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The work queue against a clock moved by hand: coalescing, exclusivity, results, backoff, close. */
class CoalescingQueueTest {
    private static final Duration MS = Duration.ofMillis(1);
    private final ManualQueueClock clock = new ManualQueueClock();
    private final List<CoalescingQueue<?, ?, ?>> queues = new ArrayList<>();

    @AfterEach
    void close() {
        queues.forEach(q -> q.close(Duration.ofSeconds(1)));
    }

    private CoalescingQueue<String, String, String> queue(Function<String, Settle> settle, int workers,
                                                         CoalescingQueue.Handler<String, String> handler,
                                                         QueueListener listener, FailureListener<String, String> f) {
        CoalescingQueue<String, String, String> q = new CoalescingQueue<>(settle, workers, s -> s.substring(0, 1),
                handler, listener, f, new QueueSettings(clock, Duration.ofMillis(5), Duration.ofSeconds(1000), 10,
                100));
        queues.add(q);
        return q;
    }

    private CoalescingQueue<String, String, String> queue(Settle settle, CoalescingQueue.Handler<String, String> h) {
        return queue(k -> settle, 2, h, QueueListener.none(), FailureListener.none());
    }

    @Test
    void itemsForOneKeyWithinTheQuietPeriodAreHandledOnceLatestPerIdentity() {
        Map<String, List<List<String>>> handled = new ConcurrentHashMap<>();
        var q = queue(new Settle(Duration.ofMillis(300), Duration.ofSeconds(2)), (k, items, f) -> {
            handled.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>()).add(items);
            return Result.done();
        });
        assertThat(q.offer("w1", "a1")).isFalse();
        clock.advance(Duration.ofMillis(200));
        assertThat(q.offer("w1", "b1")).isTrue();
        assertThat(q.offer("w1", "a2")).isTrue();
        q.offer("w2", "a1");
        clock.advance(Duration.ofMillis(299));
        assertThat(handled).isEmpty(); // 299 ms after the last item: not settled
        clock.advance(MS);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(q.idle()).as("q::idle").isTrue());
        assertThat(handled.get("w1")).containsExactly(List.of("b1", "a2"));
        assertThat(handled.get("w2")).containsExactly(List.of("a1"));
    }

    @Test
    void theMaximumWaitBoundsABurstThatNeverSettles() {
        List<List<String>> handled = new CopyOnWriteArrayList<>();
        var q = queue(new Settle(Duration.ofMillis(300), Duration.ofSeconds(1)), (k, items, f) -> {
            handled.add(items);
            return Result.done();
        });
        for (int i = 0; i < 5; i++) {
            q.offer("w", "x" + i);
            clock.advance(Duration.ofMillis(200));
        }
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(handled.size()).isEqualTo(1));
        assertThat(handled).containsExactly(List.of("x4"));
    }

    @Test
    void aKeyIsNeverHandledByTwoWorkersAndAChangeDuringTheRunRunsAfterIt() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        var q = queue(k -> Settle.IMMEDIATE, 4, (k, items, f) -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            batches.add(items);
            inHandler.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return Result.done();
        }, QueueListener.none(), FailureListener.none());
        q.offer("w", "first");
        assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
        q.offer("w", "second");
        q.offer("w", "third");
        clock.advance(Duration.ofSeconds(10));
        assertThat(batches).as("the next batch waits for the running one, however long it takes").hasSize(1);
        release.countDown();
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(batches.size()).isEqualTo(2);
            assertThat(q.idle()).as("q.idle()").isTrue();
        });
        assertThat(batches).containsExactly(List.of("first"), List.of("second", "third"));
        assertThat(maxRunning).hasValue(1);
    }

    @Test
    void retriesFollowThePerKeyBackoffFiveMillisecondsDoublingAndAreNeverDropped() {
        List<Long> attemptsAt = new CopyOnWriteArrayList<>();
        List<String> told = new CopyOnWriteArrayList<>();
        var q = queue(k -> Settle.IMMEDIATE, 1, (k, items, f) -> {
            attemptsAt.add(clock.nanoTime());
            return attemptsAt.size() <= 6 ? Result.retry("HTTP 503") : Result.done();
        }, QueueListener.none(), (k, items, reason, failures, retryIn) -> told.add(failures + ":" + retryIn.toMillis()));
        q.offer("w", "c");
        for (int i = 0; i < 7; i++) {
            int n = i + 1;
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(attemptsAt.size()).isEqualTo(n);
                if (n < 7) {
                    assertThat(clock.scheduled()).as("the retry timer after attempt " + n).isEqualTo(1);
                }
            });
            clock.advance(Duration.ofMillis(5L << i) .minus(MS));
            assertThat(attemptsAt).as("not before its backoff ran out").hasSize(n);
            clock.advance(MS);
        }
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(q.idle()).as("q::idle").isTrue());
        assertThat(told).containsExactly("1:5", "2:10", "3:20", "4:40", "5:80", "6:160");
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < attemptsAt.size(); i++) {
            gaps.add((attemptsAt.get(i) - attemptsAt.get(i - 1)) / 1_000_000);
        }
        assertThat(gaps).containsExactly(5L, 10L, 20L, 40L, 80L, 160L);
    }

    @Test
    void theBackoffIsCappedAndAnOverallTokenBucketSpacesManyFailingKeys() {
        RetryRateLimiter<String> limiter = new RetryRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000),
                10, 100, clock::nanoTime);
        for (int i = 0; i < 17; i++) {
            limiter.when("w");
        }
        assertThat(limiter.when("w")).as("5 ms * 2^17").isEqualTo(Duration.ofMillis(5L << 17));
        assertThat(limiter.when("w")).as("5 ms * 2^18 is over the cap").isEqualTo(Duration.ofSeconds(1000));
        limiter.forget("w");
        assertThat(limiter.failures("w")).isZero();
        RetryRateLimiter<String> bucket = new RetryRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000),
                10, 100, clock::nanoTime);
        for (int i = 0; i < 82; i++) {
            assertThat(bucket.when("k" + i)).as("within the burst").isEqualTo(Duration.ofMillis(5));
        }
        for (int i = 0; i < 18; i++) {
            bucket.when("more" + i);
        }
        assertThat(bucket.when("late")).as("the burst of 100 is spent: one token per 100 ms")
                .isEqualTo(Duration.ofMillis(100));
        assertThat(bucket.when("later")).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void requeueAfterKeepsTheItemsAndForgetsTheBackoffWhileAFreshChangeDoesNotWaitForIt() {
        List<String> runs = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger(-1);
        var q = queue(k -> Settle.IMMEDIATE, 1, (k, items, f) -> {
            runs.add(String.join(",", items));
            failures.set(f);
            return runs.size() == 1 ? Result.retry("x") : runs.size() == 2 ? Result.requeueAfter(Duration.ofMinutes(5))
                    : Result.done();
        }, QueueListener.none(), FailureListener.none());
        q.offer("w", "a1");
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(runs.size()).isEqualTo(1);
            assertThat(clock.scheduled()).isEqualTo(1);
        });
        clock.advance(Duration.ofMillis(5));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(runs.size()).isEqualTo(2));
        assertThat(failures).as("the second run knows one attempt failed").hasValue(1);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(clock.scheduled()).isGreaterThan(0));
        q.offer("w", "b1");
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(runs.size()).isEqualTo(3));
        assertThat(runs).containsExactly("a1", "a1", "a1,b1");
        assertThat(failures).as("a requeue-after is not a failure").hasValue(0);
    }

    @Test
    void anExceptionIsARetryNotALoss() {
        AtomicInteger runs = new AtomicInteger();
        List<String> reasons = new CopyOnWriteArrayList<>();
        var q = queue(k -> Settle.IMMEDIATE, 1, (k, items, f) -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return Result.done();
        }, QueueListener.none(), (k, items, reason, f, in) -> reasons.add(reason));
        q.offer("w", "c");
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(reasons.size()).isEqualTo(1);
            assertThat(clock.scheduled()).isEqualTo(1);
        });
        clock.advance(Duration.ofMillis(5));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(runs.get()).isEqualTo(2);
            assertThat(q.idle()).as("q.idle()").isTrue();
        });
        assertThat(reasons).containsExactly("unexpected IllegalStateException");
    }

    @Test
    void closeAbandonsPendingAndBackingOffWorkInsteadOfDrainingIt() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        var q = queue(k -> new Settle(Duration.ofMillis(100), Duration.ofMillis(100)), 2, (k, items, f) -> {
            handled.add(k + items);
            if (k.equals("running")) {
                inHandler.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Result.requeueAfter(Duration.ZERO);
            }
            return Result.retry("x");
        }, QueueListener.none(), FailureListener.none());
        q.offer("failing", "f");
        q.offer("running", "r");
        clock.advance(Duration.ofMillis(100));
        assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(handled).contains("failing[f]");
            assertThat(clock.scheduled()).isEqualTo(1);
        });
        q.offer("settling", "s");
        Thread closer = new Thread(() -> q.close(Duration.ofSeconds(5)));
        closer.start();
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(clock.scheduled()).isEqualTo(0));
        List<String> before = List.copyOf(handled);
        release.countDown(); // the running handler finishes its call; its requeue is discarded
        closer.join(5000);
        clock.advance(Duration.ofHours(1));
        assertThat(handled).containsExactlyElementsOf(before).doesNotContain("settling[s]")
                .containsOnlyOnce("failing[f]", "running[r]");
        assertThat(q.offer("new", "n")).isFalse();
        assertThat(q.idle()).isTrue();
    }

    @Test
    void metricsSeeAddsQueueTimeWorkTimeRetriesAndRunningWork() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        QueueListener listener = new QueueListener() {
            @Override
            public void added(int depth) {
                seen.add("added " + depth);
            }

            @Override
            public void dequeued(int depth, long waitedNanos) {
                seen.add("dequeued " + waitedNanos / 1_000_000);
            }

            @Override
            public void enqueued() {
                seen.add("enqueued");
            }

            @Override
            public void started(long queuedNanos) {
                seen.add("started");
            }

            @Override
            public void finished(long workNanos) {
                seen.add("finished " + workNanos / 1_000_000);
            }

            @Override
            public void retried() {
                seen.add("retried");
            }
        };
        AtomicInteger runs = new AtomicInteger();
        var q = queue(k -> new Settle(Duration.ofMillis(50), Duration.ofMillis(50)), 1, (k, items, f) -> {
            if (runs.incrementAndGet() == 1) {
                inHandler.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Result.retry("x");
            }
            return Result.done();
        }, listener, FailureListener.none());
        q.offer("w", "c");
        clock.advance(Duration.ofMillis(50));
        assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(3));
        assertThat(q.runningSeconds()).containsExactly(3.0, 3.0);
        assertThat(q.readyDepth()).isZero();
        release.countDown();
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(seen).contains("retried");
            assertThat(clock.scheduled()).isEqualTo(1);
        });
        clock.advance(Duration.ofMillis(5));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(runs.get()).isEqualTo(2);
            assertThat(q.idle()).as("q.idle()").isTrue();
        });
        assertThat(seen).startsWith("added 1", "enqueued", "dequeued 50", "started", "finished 3000", "retried",
                "enqueued");
        assertThat(q.runningSeconds()).containsExactly(0.0, 0.0);
    }
}
