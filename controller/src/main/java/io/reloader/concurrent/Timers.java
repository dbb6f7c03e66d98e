package io.reloader.concurrent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks after a delay; an interface so that code whose outcome depends on time passing (rollout timeouts)
 * is tested with a scheduler the test advances, not with a sleeping thread.
 */
public interface Timers extends AutoCloseable {

    /** Runs the task once after the delay, unless cancelled first. */
    Cancellable schedule(Duration delay, Runnable task);

    @Override
    void close();

    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** One daemon thread of the given name; a failing task is logged and never stops the others. */
    static Timers daemon(String threadName) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        return new Timers() {
            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                ScheduledFuture<?> f;
                try {
                    f = executor.schedule(() -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            org.slf4j.LoggerFactory.getLogger(Timers.class).warn("timer task failed", e);
                        }
                    }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return () -> { }; // closed: nothing runs any more
                }
                return () -> f.cancel(false);
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }
}
