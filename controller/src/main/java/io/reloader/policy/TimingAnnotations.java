package io.reloader.policy;

import io.reloader.config.AnnotationKeys;
import io.reloader.config.GoDuration;
import io.reloader.config.ReloadWindows;
import io.reloader.config.TimingOptions;
import io.reloader.model.AnnotationProblem;
import io.reloader.spec.WorkloadView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a workload may be written, from its annotations (read in metadata, else in the pod template) over the
 * global flags: its reload window, quiet period and maximum wait. A value that does not parse is a lint problem
 * and leaves the global setting in force. Pure.
 */
public final class TimingAnnotations {
    private final TimingOptions defaults;

    public TimingAnnotations(TimingOptions defaults) {
        this.defaults = defaults;
    }

    /** The windows this workload may be reloaded in; empty when it may be reloaded at any time. */
    public Optional<ReloadWindows> window(WorkloadView workload) {
        String value = value(workload, AnnotationKeys.RELOAD_WINDOW);
        if (value != null && !value.isBlank()) {
            try {
                return Optional.of(ReloadWindows.parse(value));
            } catch (IllegalArgumentException e) {
                // reported by lint(); the global window applies
            }
        }
        return Optional.ofNullable(defaults.reloadWindow());
    }

    /** The workload's quiet period and maximum wait. */
    public TimingOptions.Settle settle(WorkloadView workload) {
        Duration quiet = duration(workload, AnnotationKeys.QUIET_PERIOD);
        Duration maxWait = duration(workload, AnnotationKeys.MAX_WAIT);
        if (quiet == null && maxWait == null) {
            return defaults.settle();
        }
        return defaults.settle(quiet != null ? quiet : defaults.settle().quiet(), maxWait);
    }

    /** How long the workload's rollout may take (its annotation), or empty for {@code --rollout-wait-timeout}. */
    public static Optional<Duration> rolloutWaitTimeout(WorkloadView workload) {
        return Optional.ofNullable(duration(workload, AnnotationKeys.ROLLOUT_WAIT_TIMEOUT));
    }

    /** Invalid windows and durations, each naming its key. */
    public static List<AnnotationProblem> lint(WorkloadView workload) {
        List<AnnotationProblem> problems = new ArrayList<>();
        String window = value(workload, AnnotationKeys.RELOAD_WINDOW);
        if (window != null) {
            try {
                ReloadWindows.parse(window);
            } catch (IllegalArgumentException e) {
                problems.add(new AnnotationProblem(AnnotationKeys.RELOAD_WINDOW, window, "invalid reload window: "
                        + e.getMessage() + "; the global --reload-window applies"));
            }
        }
        for (String key : List.of(AnnotationKeys.QUIET_PERIOD, AnnotationKeys.MAX_WAIT,
                AnnotationKeys.MIN_ROLLOUT_INTERVAL, AnnotationKeys.ROLLOUT_WAIT_TIMEOUT)) {
            String value = value(workload, key);
            if (value != null && parse(value) == null) {
                problems.add(new AnnotationProblem(key, value, "invalid duration \"" + AnnotationLint.abbreviate(value)
                        + "\" (e.g. 30s, 5m, 1h30m); the global setting applies"));
            }
        }
        return problems;
    }

    private static Duration duration(WorkloadView workload, String key) {
        String value = value(workload, key);
        return value == null ? null : parse(value);
    }

    private static Duration parse(String value) {
        try {
            Duration d = GoDuration.parse(value.trim());
            return d.isNegative() ? null : d;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String value(WorkloadView workload, String key) {
        Map<String, String> meta = workload.metadataAnnotations();
        return meta.containsKey(key) ? meta.get(key) : workload.templateAnnotations().get(key);
    }
}
