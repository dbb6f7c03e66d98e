package io.reloader.queue;

import java.time.Duration;

/**
 * How often and how late a batch whose handler threw is handed back (like the Java Operator SDK's
 * {@code GenericRetry}): exponential backoff from {@code initial}, capped at {@code max}, at most
 * {@code maxAttempts} handler runs in all.
 */
public record HandlerRetry(int maxAttempts, Duration initial, Duration max) {
    public HandlerRetry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public static HandlerRetry defaults() {
        return new HandlerRetry(5, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** The wait before run {@code attempt + 1}; attempts count from 1. */
    public Duration backoff(int attempt) {
        long nanos = initial.toNanos() << Math.min(attempt - 1, 20);
        return Duration.ofNanos(Math.min(nanos, max.toNanos()));
    }
}
