package io.reloader.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A queue clock a test moves by hand: timers run on the test's thread when their time has come. */
final class ManualQueueClock implements QueueClock {
    private record Task(long at, long seq, Runnable run) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now = 1_000_000_000L;
    private long seq;
    private boolean shutdown;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void schedule(Runnable task, long delayNanos) {
        if (!shutdown) {
            tasks.add(new Task(now + Math.max(0, delayNanos), seq++, task));
        }
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        tasks.clear();
    }

    /** Moves time forward, running each timer that falls due on the way, in order. */
    void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.at() <= target)
                        .min(Comparator.comparingLong(Task::at).thenComparingLong(Task::seq)).orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                now = Math.max(now, next.at());
            }
            next.run().run();
        }
    }

    synchronized int scheduled() {
        return tasks.size();
    }
}
