package io.reloader.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * controller-runtime's (client-go's) work queue families, labelled {@code name}: {@code workqueue_depth},
 * {@code workqueue_adds_total}, {@code workqueue_retries_total}, {@code workqueue_queue_duration_seconds} and
 * {@code workqueue_work_duration_seconds} (buckets 10 ns × 10^0…11, as client-go), {@code
 * workqueue_unfinished_work_seconds} and {@code workqueue_longest_running_processor_seconds}.
 */
public final class WorkQueueMetrics {
    private static final Duration[] BUCKETS = buckets();

    private volatile DoubleSupplier depth;
    private volatile DoubleSupplier unfinished;
    private volatile DoubleSupplier longest;
    private final Counter adds;
    private final Counter retries;
    private final Timer queueDuration;
    private final Timer workDuration;

    WorkQueueMetrics(MeterRegistry registry, String name) {
        bind(() -> 0, () -> 0, () -> 0);
        Gauge.builder("workqueue.depth", () -> depth.getAsDouble()).tag("name", name)
                .description("Current depth of workqueue").register(registry);
        Gauge.builder("workqueue.unfinished.work", () -> unfinished.getAsDouble()).tag("name", name).baseUnit("seconds")
                .description("How many seconds of work has been done that is in progress").register(registry);
        Gauge.builder("workqueue.longest.running.processor", () -> longest.getAsDouble()).tag("name", name)
                .baseUnit("seconds").description("How many seconds has the longest running processor for workqueue "
                        + "been running").register(registry);
        adds = Counter.builder("workqueue.adds").tag("name", name).description("Total number of adds handled by "
                + "workqueue").register(registry);
        retries = Counter.builder("workqueue.retries").tag("name", name).description("Total number of retries "
                + "handled by workqueue").register(registry);
        queueDuration = Timer.builder("workqueue.queue.duration").tag("name", name).serviceLevelObjectives(BUCKETS)
                .description("How long in seconds an item stays in workqueue before being requested")
                .register(registry);
        workDuration = Timer.builder("workqueue.work.duration").tag("name", name).serviceLevelObjectives(BUCKETS)
                .description("How long in seconds processing an item from workqueue takes").register(registry);
    }

    /** Reads the gauges from this queue from now on (a controller started again after a leader change). */
    void bind(DoubleSupplier depthNow, DoubleSupplier unfinishedSeconds, DoubleSupplier longestSeconds) {
        this.depth = depthNow;
        this.unfinished = unfinishedSeconds;
        this.longest = longestSeconds;
    }

    public void added() {
        adds.increment();
    }

    public void retried() {
        retries.increment();
    }

    public void queued(long nanos) {
        queueDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void worked(long nanos) {
        workDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static Duration[] buckets() {
        Duration[] d = new Duration[12];
        long nanos = 10;
        for (int i = 0; i < d.length; i++) {
            d[i] = Duration.ofNanos(nanos);
            nanos *= 10;
        }
        return d;
    }
}
