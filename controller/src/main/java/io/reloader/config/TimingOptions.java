package io.reloader.config;

import java.time.Duration;

/**
 * When a workload is written (project extensions).
 *
 * @param quietPeriod   a burst settles once no change for a workload arrived for this long ({@code --quiet-period})
 * @param coalesceWindow the longest a change waits for its burst to settle ({@code --coalesce-window}); zero
 *                      writes at once, as Reloader does
 * @param reloadWindow  the weekly windows in which reloads run ({@code --reload-window}), or null for any time
 * @param flapWindow    a source whose data returns a second time within this long to an earlier version is
 *                      held as flapping until it stays unchanged this long ({@code --flap-window}); zero: off
 */
public record TimingOptions(Duration quietPeriod, Duration coalesceWindow, ReloadWindows reloadWindow,
                            Duration flapWindow) {
    public static final Duration DEFAULT_FLAP_WINDOW = Duration.ofMinutes(10);

    public TimingOptions(Duration quietPeriod, Duration coalesceWindow, ReloadWindows reloadWindow) {
        this(quietPeriod, coalesceWindow, reloadWindow, DEFAULT_FLAP_WINDOW);
    }

    /** Quiet period and maximum wait of one workload, from its annotations or these defaults. */
    public record Settle(Duration quiet, Duration maxWait) {
        public static final Settle IMMEDIATE = new Settle(Duration.ZERO, Duration.ZERO);
    }

    /** The global settle time: the quiet period, never longer than the coalesce window. */
    public Settle settle() {
        if (coalesceWindow.isZero()) {
            return Settle.IMMEDIATE;
        }
        return new Settle(quietPeriod.compareTo(coalesceWindow) < 0 ? quietPeriod : coalesceWindow, coalesceWindow);
    }

    /**
     * A workload's own quiet period (annotation), bounded by its own maximum wait, which defaults to the larger of
     * the quiet period and the coalesce window.
     */
    public Settle settle(Duration quiet, Duration maxWait) {
        Duration max = maxWait != null ? maxWait : quiet.compareTo(coalesceWindow) > 0 ? quiet : coalesceWindow;
        return new Settle(quiet, max);
    }
}
