package io.reloader.queue;

import java.time.Duration;

/**
 * How the work queue keeps time and backs off: its clock, the per-key exponential backoff bounds and the overall
 * token bucket for retries. {@link #defaults()} are controller-runtime's (5 ms doubling to 1000 s; 10 per second,
 * burst 100); tests inject a clock and shorter bounds.
 */
public record QueueSettings(QueueClock clock, Duration backoffBase, Duration backoffMax, double retryQps,
                            int retryBurst) {

    public static QueueSettings defaults() {
        return new QueueSettings(QueueClock.system(), Duration.ofMillis(5), Duration.ofSeconds(1000), 10, 100);
    }

    public QueueSettings withClock(QueueClock c) {
        return new QueueSettings(c, backoffBase, backoffMax, retryQps, retryBurst);
    }
}
