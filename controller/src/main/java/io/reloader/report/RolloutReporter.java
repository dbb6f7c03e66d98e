package io.reloader.report;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.config.GoDuration;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reports how followed rollouts end (project extension): {@code Normal ReloadRolledOut} once Current,
 * {@code Warning ReloadRolloutStalled} when stalled (plus an alert with alerts on), and the rollout metrics.
 * Messages name the workload and the sources whose reload started the rollout, never data.
 */
public final class RolloutReporter {
    public static final String REASON_ROLLED_OUT = "ReloadRolledOut";
    public static final String REASON_STALLED = "ReloadRolloutStalled";
    public static final String REASON_HALTED = "ReloadHalted";
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private final EventRecorder events;
    private final ReloaderMetrics metrics;
    private final Supplier<AlertSender> alerts;

    public RolloutReporter(EventRecorder events, ReloaderMetrics metrics, Supplier<AlertSender> alerts) {
        this.events = events;
        this.metrics = metrics;
        this.alerts = alerts;
    }

    /**
     * @param workload the object to record the Event on, or null when it is gone (log line and metric only)
     * @param job      the Job a CronJob's reload created, or null for any other kind
     * @param took     from the write to Current, or null when not known (a rollout found at start-up)
     */
    public void rolledOut(HasMetadata workload, WorkloadKey key, String job, List<SourceRef> sources, Duration took) {
        String message = "Rollout of " + subject(key, job) + " complete after reload for " + sources(sources);
        LOG.info("{} in namespace '{}'{}", message, key.namespace(), took == null ? ""
                : " (" + GoDuration.format(took) + ")");
        if (took != null) {
            metrics.rolloutDuration(key.kind().kindName(), took);
        }
        if (workload != null) {
            events.record(workload, "Normal", REASON_ROLLED_OUT, message, "reloader");
        }
    }

    /** @param why what stalled it: the controller's reason (ProgressDeadlineExceeded, a Job's) or the timeout */
    public void stalled(HasMetadata workload, WorkloadKey key, String job, List<SourceRef> sources, String why) {
        String message = "Rollout of " + subject(key, job) + " after reload for " + sources(sources) + " stalled: "
                + why;
        if (message.length() > 1000) {
            message = message.substring(0, 997) + "...";
        }
        LOG.warn("{} in namespace '{}'", message, key.namespace());
        if (workload != null) {
            events.record(workload, "Warning", REASON_STALLED, message, "reloader");
        }
        AlertSender a = alerts.get();
        if (a != null) {
            a.sendMessage("Reloader: rollout of *" + key.name() + "* of type *" + key.kind().kindName()
                    + "* in namespace *" + key.namespace() + "* stalled after reload for " + sources(sources) + ": "
                    + why);
        }
    }

    /** Progressive reloads: this workload's reload waits because another workload's rollout for the source stalled. */
    public void halted(HasMetadata workload, WorkloadKey key, SourceRef source, WorkloadKey stalled, String reason) {
        String message = "Reload of " + key.kind().kindName() + " " + key.name() + " for " + sources(List.of(source))
                + " is halted: the rollout of " + stalled.kind().kindName() + " " + stalled.name() + " after its reload "
                + "for it stalled (" + reason + "); it resumes when " + stalled.name() + " is Current or "
                + source.name() + " changes again";
        LOG.warn("{} in namespace '{}'", message, key.namespace());
        if (workload != null) {
            events.record(workload, "Warning", REASON_HALTED, message, "reloader");
        }
    }

    /** The gauges: rollouts now stalled, and workloads whose followed rollout is not Current. */
    public void followed(int stalled, int stale) {
        metrics.rollouts(stalled, stale);
    }

    private static String subject(WorkloadKey key, String job) {
        return key.kind().kindName() + " " + key.name() + (job == null ? "" : " (Job " + job + ")");
    }

    static String sources(List<SourceRef> sources) {
        if (sources.isEmpty()) {
            return "its sources";
        }
        StringBuilder out = new StringBuilder();
        for (SourceRef s : sources) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(typeName(s.type())).append(' ').append(s.name());
        }
        return out.toString();
    }

    private static String typeName(SourceType t) {
        return switch (t) {
            case CONFIGMAP -> "ConfigMap";
            case SECRET -> "Secret";
            case SECRETPROVIDERCLASS -> "SecretProviderClass";
            case SERVICEACCOUNT -> "ServiceAccount";
        };
    }
}
