package io.reloader.report;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.kube.ApiErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Records Events off the caller's thread (informer threads must never wait on the API server) through a bounded
 * queue, and aggregates them as client-go's recorder does: the same type, reason, message and involved object
 * within {@code window} count up one Event instead of creating another, so a flapping annotation cannot create an
 * unbounded number of Event objects. When the queue is full the Event is dropped and counted.
 */
public final class AggregatingEventRecorder implements EventRecorder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AggregatingEventRecorder.class);
    private static final int MAX_TRACKED = 4096;
    /** As client-go: more distinct messages than this for one object and reason are combined. */
    static final int MAX_SIMILAR = 10;
    static final String COMBINED = "(combined from similar events): ";

    private final EventSink sink;
    private final Duration window;
    private final Clock clock;
    private final Consumer<String> dropped;
    private final BlockingQueue<Pending> queue;
    private final Map<String, Seen> seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > MAX_TRACKED;
        }
    };
    /** Distinct messages per (object, type, reason) within the window; bounded like {@link #seen}. */
    private final Map<String, Similar> similars = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Similar> eldest) {
            return size() > MAX_TRACKED;
        }
    };
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean busy;

    private record Pending(HasMetadata involved, String type, String reason, String message, String component) {
    }

    private record Seen(String namespace, String name, int count, Instant first, Instant last) {
    }

    private record Similar(Instant since, Set<String> messages) {
    }

    /**
     * @param capacity Events that may wait; more are dropped
     * @param dropped  told the reason of each dropped Event (for a metric)
     */
    public AggregatingEventRecorder(EventSink sink, Duration window, int capacity, Clock clock,
                                    Consumer<String> dropped) {
        this.sink = sink;
        this.window = window;
        this.clock = clock;
        this.dropped = dropped;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::loop, "reloader-events");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void record(HasMetadata workload, String type, String reason, String message, String component) {
        if (closed || workload == null) {
            return;
        }
        if (!queue.offer(new Pending(workload, type, reason, message, component))) {
            LOG.debug("Event queue full; dropping {} Event on '{}'", reason, workload.getMetadata().getName());
            dropped.accept(reason);
        }
    }

    /** True when no Event waits or is being sent. */
    public boolean idle() {
        return queue.isEmpty() && !busy;
    }

    private void loop() {
        while (!closed || !queue.isEmpty()) {
            Pending p;
            try {
                p = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (p == null) {
                continue;
            }
            busy = true;
            try {
                send(p);
            } catch (RuntimeException e) {
                LOG.warn("Failed to record {} Event on {} '{}' in namespace '{}': {}", p.reason(),
                        p.involved().getKind(), p.involved().getMetadata().getName(),
                        p.involved().getMetadata().getNamespace(), ApiErrors.describe(e));
            } finally {
                busy = false;
            }
        }
    }

    /**
     * Creates the Event, or counts up the one recorded for the same occurrence within the window. Past
     * {@value #MAX_SIMILAR} different messages of one reason on one object within the window, the rest count up
     * one Event "(combined from similar events)", as client-go's aggregator does.
     */
    private void send(Pending p) {
        Instant now = clock.instant();
        String similarKey = similarKey(p);
        Similar similar = similars.get(similarKey);
        if (similar == null || Duration.between(similar.since(), now).compareTo(window) > 0) {
            similar = new Similar(now, new HashSet<>());
            similars.put(similarKey, similar);
        }
        if (similar.messages().size() <= MAX_SIMILAR) {
            similar.messages().add(p.message());
        }
        boolean combined = similar.messages().size() > MAX_SIMILAR;
        String message = combined ? COMBINED + p.message() : p.message();
        String key = similarKey + "\u0000" + (combined ? COMBINED : p.message());
        Seen previous = seen.get(key);
        if (previous != null && Duration.between(previous.last(), now).compareTo(window) <= 0) {
            int count = previous.count() + 1;
            if (sink.update(previous.namespace(), previous.name(), count, message, now)) {
                seen.put(key, new Seen(previous.namespace(), previous.name(), count, previous.first(), now));
                return;
            }
        }
        String name = sink.create(p.involved(), p.type(), p.reason(), message, p.component(), now);
        seen.put(key, new Seen(p.involved().getMetadata().getNamespace(), name, 1, now, now));
    }

    private static String similarKey(Pending p) {
        HasMetadata o = p.involved();
        return String.join("\u0000", p.component(), o.getKind(), o.getMetadata().getNamespace(),
                o.getMetadata().getName(), String.valueOf(o.getMetadata().getUid()), p.type(), p.reason());
    }

    /** Number of occurrences being aggregated (bounded). */
    int tracked() {
        return seen.size();
    }

    /** Sends what is queued, for up to two seconds, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
