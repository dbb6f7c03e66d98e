package io.reloader.write;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries with exponential backoff and jitter for writes that may succeed on a second try: conflicts
 * (409, retried against a fresh read), throttling (429) and server errors (5xx).
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(10), Duration.ofSeconds(2));
    }

    public boolean retryable(Throwable error) {
        if (error instanceof KubernetesClientException e) {
            int code = e.getCode();
            return code == 409 || code == 429 || code >= 500;
        }
        return false;
    }

    /** Backoff before attempt {@code attempt + 1} (attempts count from 1), with 10 % jitter. */
    public Duration backoff(int attempt) {
        long base = initialBackoff.toNanos() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxBackoff.toNanos());
        long jitter = (long) (capped * 0.1 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos(capped + jitter);
    }
}
