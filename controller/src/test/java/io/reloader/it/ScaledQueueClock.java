package io.reloader.it;

import io.reloader.queue.QueueClock;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A queue clock that runs {@code speed} times faster than the wall clock, so backoffs of minutes take a second in
 * a test while the queue keeps its real bounds. The test reads the same clock to tell how much time has passed.
 */
final class ScaledQueueClock implements QueueClock {
    private final double speed;
    private final long origin = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-queue-timer");
        t.setDaemon(true);
        return t;
    });

    ScaledQueueClock(double speed) {
        this.speed = speed;
    }

    @Override
    public long nanoTime() {
        return origin + (long) ((System.nanoTime() - origin) * speed);
    }

    /** Time passed on this clock since {@code since} (one of its readings). */
    Duration since(long since) {
        return Duration.ofNanos(nanoTime() - since);
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        try {
            timer.schedule(task, (long) (Math.max(0, delayNanos) / speed), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shut down
        }
    }

    @Override
    public void shutdown() {
        timer.shutdownNow();
    }
}
