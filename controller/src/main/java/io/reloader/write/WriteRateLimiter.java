package io.reloader.write;

/**
 * A token bucket for workload writes ({@code --max-writes-per-second}, burst {@code --max-writes-burst}): a storm
 * of thousands of Secrets syncing at once becomes a steady stream of rollouts instead of a stampede.
 */
public final class WriteRateLimiter {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long lastNanos;

    /** @param perSecond 0 or less means unlimited */
    public WriteRateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.lastNanos = System.nanoTime();
    }

    /** Blocks until a write may go out. */
    public void acquire() throws InterruptedException {
        if (perSecond <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            refill();
            tokens -= 1;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens / perSecond * 1e9);
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
        lastNanos = now;
    }
}
