package io.reloader.cli;

import io.reloader.config.ReloadWindows;
import io.reloader.config.TimingOptions;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Flags that say when workloads are written (project extensions), mixed into the controller's flags. */
final class TimingFlags {
    @Option(names = "--quiet-period", paramLabel = "DURATION", defaultValue = "300ms",
            description = "Write a workload once no new change for it arrived for this long, and never later than "
                    + "--coalesce-window after the first (default: ${DEFAULT-VALUE}). Per workload: annotation "
                    + "reloader.stakater.com/quiet-period")
    String quietPeriod;

    @Option(names = "--reload-window", paramLabel = "WINDOWS", description = "Run reloads only in these weekly "
            + "windows, e.g. 'Mon-Fri 02:00-05:00 Europe/Berlin; Sat 10:00-12:00 UTC'; changes outside are held and "
            + "applied once when a window opens. Per workload: annotation reloader.stakater.com/reload-window")
    String reloadWindow;

    @Option(names = "--flap-window", paramLabel = "DURATION", defaultValue = "10m",
            description = "A source whose data returns for the second time within this long to a version it had "
                    + "in it is flapping: its changes roll nothing until it stays unchanged this long, then the "
                    + "workloads roll once (default: ${DEFAULT-VALUE}; 0 turns it off)")
    String flapWindow;

    @Option(names = "--keep-stale-env-vars", description = "With --reload-strategy=annotations, keep the "
            + "STAKATER_* variables an earlier env-vars reload left (by default the next reload removes them)")
    boolean keepStaleEnvVars;

    TimingOptions toOptions(Duration coalesceWindow) {
        Duration quiet = FlagValues.duration("--quiet-period", quietPeriod);
        ReloadWindows windows = null;
        if (reloadWindow != null && !reloadWindow.isBlank()) {
            try {
                windows = ReloadWindows.parse(reloadWindow);
            } catch (IllegalArgumentException e) {
                throw new FlagException("invalid --reload-window '" + reloadWindow + "': " + e.getMessage());
            }
        }
        return new TimingOptions(quiet, coalesceWindow, windows, FlagValues.duration("--flap-window", flapWindow));
    }
}
