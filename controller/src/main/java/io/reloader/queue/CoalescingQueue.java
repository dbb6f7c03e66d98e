package io.reloader.queue;

import io.reloader.config.TimingOptions.Settle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * A rate-limited work queue keyed by workload, with controller-runtime's semantics plus coalescing (docs/compatibility.md#one-rollout-per-burst).
 * Items offered for one key are handed to the handler together once the key's burst has settled (no new item for
 * its quiet period, or its maximum wait after the first item); for each item identity only the latest is kept.
 * A key is never handled by two workers at once: items arriving meanwhile form the next batch, run after it.
 * The handler returns a {@link Result}: done; requeue after a delay it chose (every wait is one, no worker ever
 * sleeps); or retry after the key's backoff ({@link RetryRateLimiter}), until it succeeds. A fresh item does not
 * wait for a key's backoff or requeue delay (as a new event in controller-runtime), it only settles.
 * On {@link #close} everything not yet running is abandoned, never drained.
 *
 * @param <K> the work key (a workload)
 * @param <I> the item type (a source change)
 * @param <D> the identity under which later items replace earlier ones (a source)
 */
public final class CoalescingQueue<K, I, D> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoalescingQueue.class);

    /** Handles one key's batch; {@code failures} is the number of consecutive failed attempts before this one. */
    @FunctionalInterface
    public interface Handler<K, I> {
        Result handle(K key, List<I> items, int failures);
    }

    private final Function<K, Settle> settle;
    private final Function<I, D> identity;
    private final Handler<K, I> handler;
    private final QueueListener listener;
    private final FailureListener<K, I> failures;
    private final QueueClock clock;
    private final RetryRateLimiter<K> limiter;
    private final ExecutorService workers;
    private final Map<K, Batch<I, D>> pending = new HashMap<>();
    /** Keys handed to a worker, with when they started (0 while waiting for a free worker). */
    private final Map<K, long[]> inFlight = new HashMap<>();
    private int ready;
    /** How a later item replaces an earlier one of the same identity (by default: it simply does). */
    private volatile BinaryOperator<I> merge = (earlier, later) -> later;
    private boolean closed;

    /** What waits for one key: the latest item per identity and when the key is due. */
    private static final class Batch<I, D> {
        final LinkedHashMap<D, I> items = new LinkedHashMap<>();
        /** Set once an item was offered (not only handed back): the burst's settle time applies. */
        Settle settle;
        long firstOffer;
        long lastOffer;
        /** A requeue's earliest run (Long.MAX_VALUE: none). */
        long notBefore = Long.MAX_VALUE;
        /** The earliest timer already scheduled for this batch. */
        long checkAt = Long.MAX_VALUE;

        long due() {
            long offered = settle == null ? Long.MAX_VALUE
                    : Math.min(lastOffer + settle.quiet().toNanos(), firstOffer + settle.maxWait().toNanos());
            return Math.min(offered, notBefore);
        }
    }

    public CoalescingQueue(Function<K, Settle> settle, int workers, Function<I, D> identity, Handler<K, I> handler,
                           QueueListener listener, FailureListener<K, I> failures, QueueSettings settings) {
        this.settle = settle;
        this.identity = identity;
        this.handler = handler;
        this.listener = listener;
        this.failures = failures;
        this.clock = settings.clock();
        this.limiter = new RetryRateLimiter<>(settings.backoffBase(), settings.backoffMax(), settings.retryQps(),
                settings.retryBurst(), clock::nanoTime);
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "reloader-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Adds an item for a key; returns true if it was merged into an already pending batch. */
    public boolean offer(K key, I item) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            long now = clock.nanoTime();
            Batch<I, D> batch = pending.get(key);
            boolean merged = batch != null && !batch.items.isEmpty();
            if (batch == null) {
                batch = new Batch<>();
                pending.put(key, batch);
            }
            if (batch.settle == null) {
                batch.settle = settle.apply(key);
                batch.firstOffer = now;
            }
            batch.lastOffer = now;
            D id = identity.apply(item);
            I earlier = batch.items.remove(id); // re-insert so the batch keeps arrival order of the latest items
            batch.items.put(id, earlier == null ? item : merge.apply(earlier, item));
            listener.added(pending.size());
            schedule(key, batch, now);
            return merged;
        }
    }

    /** Replaces an earlier item of the same identity with {@code merge(earlier, later)}; set before the first offer. */
    public CoalescingQueue<K, I, D> mergingWith(BinaryOperator<I> merge) {
        this.merge = merge;
        return this;
    }

    /** Runs the key's handler after {@code delay} even without an item (a timer: a pause period that ends). */
    public synchronized void offerAfter(K key, Duration delay) {
        if (!closed) {
            requeue(key, List.of(), clock.nanoTime() + delay.toNanos());
        }
    }

    /** Hands items back to wait until {@code at}; items offered since (newer) win over them. Caller holds the lock. */
    private void requeue(K key, List<I> items, long at) {
        Batch<I, D> newer = pending.get(key);
        Batch<I, D> batch = new Batch<>();
        items.forEach(i -> batch.items.put(identity.apply(i), i));
        if (newer != null) {
            newer.items.forEach((id, i) -> {
                I earlier = batch.items.remove(id);
                batch.items.put(id, earlier == null ? i : merge.apply(earlier, i));
            });
            batch.settle = newer.settle;
            batch.firstOffer = newer.firstOffer;
            batch.lastOffer = newer.lastOffer;
            batch.notBefore = newer.notBefore;
            batch.checkAt = newer.checkAt;
        }
        batch.notBefore = Math.min(batch.notBefore, at);
        pending.put(key, batch);
        schedule(key, batch, clock.nanoTime());
    }

    /** Makes sure a timer looks at the batch when it is due. Caller holds the lock. */
    private void schedule(K key, Batch<I, D> batch, long now) {
        long due = batch.due();
        if (due <= now) {
            dispatch(key);
        } else if (due < batch.checkAt) {
            batch.checkAt = due;
            clock.schedule(() -> checkDue(key), due - now);
        }
    }

    private synchronized void checkDue(K key) {
        Batch<I, D> batch = pending.get(key);
        if (batch == null || closed) {
            return;
        }
        long now = clock.nanoTime();
        batch.checkAt = Long.MAX_VALUE;
        schedule(key, batch, now);
    }

    /** Hands the key's batch to a worker if it is due and the key is not in flight. Caller holds the lock. */
    private void dispatch(K key) {
        Batch<I, D> batch = pending.get(key);
        if (closed || batch == null || inFlight.containsKey(key) || batch.due() > clock.nanoTime()) {
            return;
        }
        pending.remove(key);
        long readyAt = clock.nanoTime();
        inFlight.put(key, new long[] {0});
        ready++;
        listener.enqueued();
        listener.dequeued(pending.size(), batch.settle == null ? 0 : readyAt - batch.firstOffer);
        List<I> items = new ArrayList<>(batch.items.values());
        workers.execute(() -> work(key, items, readyAt));
    }

    private void work(K key, List<I> items, long readyAt) {
        long start;
        int failedBefore;
        synchronized (this) {
            ready--;
            if (closed) {
                inFlight.remove(key);
                return; // abandoned
            }
            start = clock.nanoTime();
            inFlight.get(key)[0] = start;
            failedBefore = limiter.failures(key);
        }
        listener.started(start - readyAt);
        Result result;
        try {
            result = handler.handle(key, items, failedBefore);
        } catch (RuntimeException e) {
            LOG.debug("Handler failed for {}", key, e);
            result = Result.retry("unexpected " + e.getClass().getSimpleName());
        }
        listener.finished(clock.nanoTime() - start);
        long at = Long.MAX_VALUE;
        if (result instanceof Result.Retry retry) {
            Duration wait = limiter.when(key);
            listener.retried();
            try {
                failures.retrying(key, items, retry.reason(), limiter.failures(key), wait);
            } catch (RuntimeException e) {
                LOG.debug("Failure listener threw", e);
            }
            at = clock.nanoTime() + wait.toNanos();
        } else {
            limiter.forget(key);
            if (result instanceof Result.RequeueAfter later) {
                at = clock.nanoTime() + later.after().toNanos();
            }
        }
        finished(key, items, at);
    }

    private synchronized void finished(K key, List<I> items, long requeueAt) {
        inFlight.remove(key);
        if (closed) {
            return;
        }
        if (requeueAt != Long.MAX_VALUE) {
            requeue(key, items, requeueAt);
        } else {
            Batch<I, D> next = pending.get(key);
            if (next != null) {
                schedule(key, next, clock.nanoTime());
            }
        }
    }

    /** Number of keys waiting (settling, backing off, or due), not in flight. */
    public synchronized int depth() {
        return pending.size();
    }

    /** Keys ready and waiting for a free worker (controller-runtime's depth). */
    public synchronized int readyDepth() {
        return ready;
    }

    /** Seconds the running handlers have been at it, summed and the longest (controller-runtime's gauges). */
    public synchronized double[] runningSeconds() {
        long now = clock.nanoTime();
        double sum = 0;
        double longest = 0;
        for (long[] started : inFlight.values()) {
            if (started[0] != 0) {
                double s = (now - started[0]) / 1e9;
                sum += s;
                longest = Math.max(longest, s);
            }
        }
        return new double[] {sum, longest};
    }

    /** True when no item is pending or in flight (a bare timer, such as a pause period's end, does not count). */
    public synchronized boolean idle() {
        return inFlight.isEmpty() && pending.values().stream().allMatch(b -> b.items.isEmpty());
    }

    /**
     * Stops: everything pending is dropped and no further handler starts; a handler already running may finish its
     * current call for up to {@code grace}, and its result is discarded.
     */
    public void close(Duration grace) {
        synchronized (this) {
            closed = true;
            pending.clear();
        }
        clock.shutdown();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
