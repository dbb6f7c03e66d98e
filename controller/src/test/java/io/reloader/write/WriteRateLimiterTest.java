package io.reloader.write;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WriteRateLimiterTest {

    @Test
    void afterTheBurstWritesAreSpacedByTheRate() throws Exception {
        WriteRateLimiter limiter = new WriteRateLimiter(20, 2);
        long start = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            limiter.acquire();
        }
        // 2 go at once, the other 4 need 4 tokens at 20/s: at least 200 ms (a lower bound: slowness cannot fail it).
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(190);
    }

    @Test
    void zeroMeansUnlimited() throws Exception {
        // At a limit of one per second these would take hours; unlimited, they finish at once.
        WriteRateLimiter limiter = new WriteRateLimiter(0, 1);
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(60_000);
    }
}
