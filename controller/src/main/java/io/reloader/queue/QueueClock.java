package io.reloader.queue;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The queue's sense of time: what time it is and how to run something later. Injected so that tests move time
 * by hand (or faster than the wall clock) instead of sleeping.
 */
public interface QueueClock {
    long nanoTime();

    /** Runs the task on the clock's timer thread once {@code delayNanos} have passed; ignored once shut down. */
    void schedule(Runnable task, long delayNanos);

    /** Drops every task not yet run. */
    void shutdown();

    /** The wall clock, with one daemon timer thread. */
    static QueueClock system() {
        return new QueueClock() {
            private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "reloader-queue-timer");
                t.setDaemon(true);
                return t;
            });

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void schedule(Runnable task, long delayNanos) {
                try {
                    ScheduledFuture<?> ignored = timer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    // shut down: the queue is closed and abandons its work
                }
            }

            @Override
            public void shutdown() {
                timer.shutdownNow();
            }
        };
    }
}
