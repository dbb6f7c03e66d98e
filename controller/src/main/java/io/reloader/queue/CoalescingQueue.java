package io.reloader.queue;

import io.reloader.concurrent.Shutdown;
import io.reloader.config.TimingOptions.Settle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A work queue keyed by workload (spec I2). Items offered for one key are handed to the handler together, once,
 * when the key's burst has settled: no new item for its quiet period, or its maximum wait after the first item,
 * whichever comes first; for each item identity only the latest item is kept. A key is never handled by two workers at once: items arriving while it is in flight form the next batch.
 *
 * @param <K> the work key (a workload)
 * @param <I> the item type (a source change)
 * @param <D> the identity under which later items replace earlier ones (a source)
 */
public final class CoalescingQueue<K, I, D> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoalescingQueue.class);

    private final Function<K, Settle> settle;
    private final Function<I, D> identity;
    private final BiConsumer<K, List<I>> handler;
    private final QueueListener listener;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final Map<K, Batch<I, D>> pending = new HashMap<>();
    private final Set<K> inFlight = new HashSet<>();
    private final Set<K> due = new HashSet<>();
    /** Items handed back for later, per key; the queue is not idle while they wait. */
    private final Map<K, LinkedHashMap<D, I>> deferred = new HashMap<>();
    /** Failed runs so far, per key whose last run threw; removed on success or when giving up. */
    private final Map<K, Integer> failedRuns = new HashMap<>();
    private final HandlerRetry retry;
    private final FailureListener<K, I> failures;
    private boolean closed;

    private static final class Batch<I, D> {
        final LinkedHashMap<D, I> items = new LinkedHashMap<>();
        final long enqueuedNanos = System.nanoTime();
        final Settle settle;
        long lastOfferNanos = enqueuedNanos;

        Batch(Settle settle) {
            this.settle = settle;
        }

        /** When the batch is due: the quiet period after the last item, but no later than the maximum wait. */
        long dueNanos() {
            return Math.min(lastOfferNanos + settle.quiet().toNanos(), enqueuedNanos + settle.maxWait().toNanos());
        }
    }

    public CoalescingQueue(Duration window, int workers, Function<I, D> identity, BiConsumer<K, List<I>> handler,
                           QueueListener listener) {
        this(key -> new Settle(window, window), workers, identity, handler, listener, HandlerRetry.defaults(),
                FailureListener.none());
    }

    /**
     * @param retry    how a batch whose handler threw is handed back; nothing is dropped before the last attempt
     * @param failures told about each failed run and about giving up
     */
    public CoalescingQueue(Function<K, Settle> settle, int workers, Function<I, D> identity,
                           BiConsumer<K, List<I>> handler, QueueListener listener, HandlerRetry retry,
                           FailureListener<K, I> failures) {
        this.retry = retry;
        this.failures = failures;
        this.settle = settle;
        this.identity = identity;
        this.handler = handler;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "reloader-queue-timer"));
        this.workers = Executors.newFixedThreadPool(workers, r -> daemon(r, "reloader-worker"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Adds an item for a key; returns true if it was merged into an already pending batch. */
    public boolean offer(K key, I item) {
        boolean merged;
        synchronized (this) {
            if (closed) {
                return false;
            }
            Batch<I, D> batch = pending.get(key);
            merged = batch != null;
            if (batch == null) {
                batch = new Batch<>(settle.apply(key));
                pending.put(key, batch);
                timer.schedule(() -> checkDue(key), batch.dueNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
            } else {
                batch.lastOfferNanos = System.nanoTime();
            }
            D id = identity.apply(item);
            batch.items.remove(id); // re-insert so the batch keeps arrival order of the latest items
            batch.items.put(id, item);
            listener.added(depth());
        }
        return merged;
    }

    /**
     * Hands items back after a delay (e.g. rollout pacing). Items deferred again for the same key before the first
     * delay ran out join the waiting ones (latest per identity), so a burst deferred twice is still one write.
     */
    public void offerLater(K key, List<I> items, Duration delay) {
        synchronized (this) {
            if (closed) {
                return;
            }
            LinkedHashMap<D, I> waiting = deferred.get(key);
            boolean schedule = waiting == null;
            if (schedule) {
                waiting = new LinkedHashMap<>();
                deferred.put(key, waiting);
            }
            for (I item : items) {
                D id = identity.apply(item);
                waiting.remove(id);
                waiting.put(id, item);
            }
            if (!schedule) {
                return;
            }
        }
        timer.schedule(() -> {
            List<I> due;
            synchronized (this) {
                LinkedHashMap<D, I> waiting = deferred.remove(key);
                due = waiting == null ? List.of() : new ArrayList<>(waiting.values());
            }
            due.forEach(i -> offer(key, i));
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The batch's timer ran out: hand it over if it settled, else look again when it will have. */
    private synchronized void checkDue(K key) {
        Batch<I, D> batch = pending.get(key);
        if (batch == null || closed) {
            return;
        }
        long wait = batch.dueNanos() - System.nanoTime();
        if (wait > 0) {
            timer.schedule(() -> checkDue(key), wait, TimeUnit.NANOSECONDS);
            return;
        }
        due.add(key);
        dispatch(key);
    }

    /** Hands the key's batch to a worker if it is due and the key is not in flight. Caller holds the lock. */
    private void dispatch(K key) {
        if (closed || inFlight.contains(key) || !due.contains(key)) {
            return;
        }
        Batch<I, D> batch = pending.remove(key);
        due.remove(key);
        if (batch == null) {
            return;
        }
        inFlight.add(key);
        listener.dequeued(depth(), System.nanoTime() - batch.enqueuedNanos);
        List<I> items = new ArrayList<>(batch.items.values());
        workers.execute(() -> {
            try {
                handler.accept(key, items);
                succeeded(key);
            } catch (RuntimeException e) {
                handlerFailed(key, items, e);
            } finally {
                finished(key);
            }
        });
    }

    private synchronized void succeeded(K key) {
        failedRuns.remove(key);
    }

    /** An unexpected exception: hand the batch back with backoff, or give up after the last attempt. */
    private void handlerFailed(K key, List<I> items, RuntimeException e) {
        int attempt;
        synchronized (this) {
            attempt = failedRuns.merge(key, 1, Integer::sum);
            if (attempt >= retry.maxAttempts()) {
                failedRuns.remove(key);
            }
        }
        boolean givingUp = attempt >= retry.maxAttempts();
        LOG.error("Error syncing events: {}", e.toString());
        if (attempt == 1) {
            LOG.debug("Handler failed for {}", key, e);
        }
        try {
            failures.failed(key, items, e, attempt, givingUp);
        } catch (RuntimeException listenerError) {
            LOG.debug("Failure listener threw", listenerError);
        }
        if (!givingUp) {
            offerLater(key, items, retry.backoff(attempt));
        }
    }

    private synchronized void finished(K key) {
        inFlight.remove(key);
        dispatch(key);
    }

    /** Number of keys waiting (not in flight). */
    public synchronized int depth() {
        return pending.size();
    }

    /** True when nothing is pending or in flight. */
    public synchronized boolean idle() {
        return pending.isEmpty() && inFlight.isEmpty() && deferred.isEmpty();
    }

    /** Stops taking work; lets in-flight writes finish for up to {@code grace}, then abandons them. */
    public void close(Duration grace) {
        synchronized (this) {
            closed = true;
        }
        timer.shutdownNow();
        Shutdown.gracefully(workers, grace);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
