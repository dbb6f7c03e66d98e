package io.reloader.testing;

import io.reloader.concurrent.Timers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Timers driven by a {@link MutableClock}: tasks run when the test advances the clock past their time. */
public final class ManualTimers implements Timers {
    private final MutableClock clock;
    private final List<Task> tasks = new ArrayList<>();

    private record Task(Instant due, Runnable run, boolean[] cancelled) {
    }

    public ManualTimers(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(clock.instant().plus(delay), task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves the clock and runs, in order, every task that became due. */
    public void advance(Duration d) {
        clock.advance(d);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.due().isAfter(clock.instant()))
                        .min(java.util.Comparator.comparing(Task::due)).orElse(null);
                if (next == null) {
                    return;
                }
                tasks.remove(next);
            }
            if (!next.cancelled()[0]) {
                next.run().run();
            }
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled()[0]).count();
    }

    @Override
    public void close() {
    }
}
