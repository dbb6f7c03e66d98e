package io.reloader.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * controller-runtime's default controller rate limiter: the larger of a per-key exponential backoff (from
 * {@code base}, doubling per consecutive failure, capped at {@code max}) and an overall token bucket ({@code qps},
 * {@code burst}) shared by every key, so one key backs off on its own and many failing keys together cannot
 * hammer the API server.
 */
public final class RetryRateLimiter<K> {
    private final long baseNanos;
    private final long maxNanos;
    private final double qps;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<K, Integer> failures = new HashMap<>();
    private double tokens;
    private long lastNanos;

    public RetryRateLimiter(Duration base, Duration max, double qps, int burst, LongSupplier nanoTime) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.qps = qps;
        this.burst = Math.max(1, burst);
        this.nanoTime = nanoTime;
        this.tokens = this.burst;
        this.lastNanos = nanoTime.getAsLong();
    }

    /** Counts a failure of the key and says how long to wait before its next attempt. */
    public synchronized Duration when(K key) {
        int before = failures.getOrDefault(key, 0);
        failures.put(key, before + 1);
        return Duration.ofNanos(Math.max(backoffNanos(before), reserveNanos()));
    }

    /** The key succeeded (or is done with): its next failure starts from the base delay again. */
    public synchronized void forget(K key) {
        failures.remove(key);
    }

    /** Consecutive failures of the key so far. */
    public synchronized int failures(K key) {
        return failures.getOrDefault(key, 0);
    }

    /** The per-key delay after {@code before} earlier failures: base * 2^before, capped. */
    long backoffNanos(int before) {
        if (before >= 62 || baseNanos <= 0) {
            return baseNanos <= 0 ? 0 : maxNanos;
        }
        double nanos = baseNanos * Math.pow(2, before);
        return nanos >= maxNanos ? maxNanos : (long) nanos;
    }

    /** Takes a token from the bucket, going into debt if none is left: the debt is the wait (golang's Reserve). */
    private long reserveNanos() {
        if (qps <= 0) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * qps);
        lastNanos = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) (-tokens / qps * 1e9);
    }
}
