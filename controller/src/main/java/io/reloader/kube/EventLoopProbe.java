package io.reloader.kube;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Measures how late each of the HTTP client's event loops runs a task scheduled on it, every {@code period}.
 * A late task means the loop was busy: work that belongs elsewhere (parsing, hashing) delays every response and
 * watch event behind it. Reports each delay, in nanoseconds, to {@code delays}.
 */
public final class EventLoopProbe implements AutoCloseable {
    private final Vertx vertx;
    private final long periodMillis;
    private final LongConsumer delays;
    private volatile boolean closed;

    private EventLoopProbe(Vertx vertx, Duration period, LongConsumer delays) {
        this.vertx = vertx;
        this.periodMillis = Math.max(1, period.toMillis());
        this.delays = delays;
    }

    /**
     * Starts probing {@code loops} event loops: from a thread outside Vert.x each new context is bound to the next
     * loop in turn, so as many contexts as loops cover every loop.
     */
    public static EventLoopProbe start(Vertx vertx, int loops, Duration period, LongConsumer delays) {
        EventLoopProbe probe = new EventLoopProbe(vertx, period, delays);
        for (int i = 0; i < loops; i++) {
            Context context = vertx.getOrCreateContext();
            context.runOnContext(v -> probe.scheduleNext());
        }
        return probe;
    }

    /** Runs on the context's loop, so the timer is set on (and fires on) that same loop. */
    private void scheduleNext() {
        if (closed) {
            return;
        }
        long due = System.nanoTime() + periodMillis * 1_000_000;
        vertx.setTimer(periodMillis, id -> {
            delays.accept(Math.max(0, System.nanoTime() - due));
            scheduleNext();
        });
    }

    @Override
    public void close() {
        closed = true;
    }
}
