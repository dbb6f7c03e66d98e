package io.reloader.write;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class WriteRateLimiterTest {

    @Test
    void afterTheBurstAWriteIsToldHowLongUntilATokenIsFreeAndNothingBlocks() {
        AtomicLong now = new AtomicLong();
        WriteRateLimiter limiter = new WriteRateLimiter(20, 2, now::get);
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).as("one token per 50 ms").isEqualTo(Duration.ofMillis(50));
        now.addAndGet(Duration.ofMillis(30).toNanos());
        assertThat(limiter.tryAcquire()).isEqualTo(Duration.ofMillis(20));
        now.addAndGet(Duration.ofMillis(20).toNanos());
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void retryableErrorsAreTheOnesWorthAnotherAttempt() {
        for (int code : new int[] {409, 429, 500, 503, 504, 0}) {
            assertThat(RetryPolicy.retryable(new io.fabric8.kubernetes.client.KubernetesClientException("x", code,
                    null))).as("%d", code).isTrue();
        }
        for (int code : new int[] {400, 403, 404, 422}) {
            assertThat(RetryPolicy.retryable(new io.fabric8.kubernetes.client.KubernetesClientException("x", code,
                    null))).as("%d", code).isFalse();
        }
        assertThat(RetryPolicy.retryable(new RuntimeException(new java.net.ConnectException()))).isTrue();
        assertThat(RetryPolicy.retryable(new IllegalStateException())).isFalse();
    }

    @Test
    void zeroMeansUnlimited() {
        WriteRateLimiter limiter = new WriteRateLimiter(0, 1, () -> 0L);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.tryAcquire()).isZero();
        }
    }
}
