package io.reloader.write;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket for workload writes ({@code --max-writes-per-second}, burst {@code --max-writes-burst}): a storm
 * of thousands of Secrets syncing at once becomes a steady stream of rollouts instead of a stampede. It never
 * blocks: a write without a token is told how long until one is free, and is requeued for then.
 */
public final class WriteRateLimiter {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long lastNanos;

    /** @param perSecond 0 or less means unlimited */
    public WriteRateLimiter(double perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    public WriteRateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.nanoTime = nanoTime;
        this.tokens = this.burst;
        this.lastNanos = nanoTime.getAsLong();
    }

    /** Takes a token and returns zero, or, when none is left, takes nothing and returns the wait until one is. */
    public synchronized Duration tryAcquire() {
        if (perSecond <= 0) {
            return Duration.ZERO;
        }
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
        lastNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(1_000_000, (long) ((1 - tokens) / perSecond * 1e9)));
    }
}
