package io.reloader.report;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.AnnotationProblem;
import io.reloader.model.ReloadCause;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reports outcomes the way Reloader does (docs/compatibility.md#observability, docs/compatibility.md#observability): its exact log lines and Event reasons and messages,
 * plus the metrics. Messages name sources and workloads, never data.
 */
public final class ReloadReporter {
    /** Project extension: Event reason for an API call refused by RBAC. */
    public static final String REASON_FORBIDDEN = "ReloaderForbidden";
    /** Project extension: Event reason for two sources that map to one env var name. */
    public static final String REASON_ENV_COLLISION = "ReloadEnvVarCollision";
    /** Project extension (docs/compatibility.md#revert-detection): Event reason for a marker someone else removed or changed. */
    public static final String REASON_REVERTED = "ReloadMarkerReverted";
    /** Project extension: Event reason for a reload that will not restart pods (updateStrategy OnDelete). */
    public static final String REASON_ON_DELETE = "ReloadPendingOnDelete";
    /** Project extension: Event reason for an invalid or ineffective workload annotation. */
    public static final String REASON_INVALID_ANNOTATION = "ReloadAnnotationInvalid";
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    private static final int PROBLEM_MEMORY = 10_000;

    private final EventRecorder events;
    private final ReloaderMetrics metrics;
    private volatile AlertSender alerts;
    /**
     * Problems already said, least recently met first: bounded, and evicting one at a time, so a full memory never
     * re-emits everything at once (a re-emitted Event is counted up by the recorder, not duplicated).
     */
    private final Set<String> reportedProblems = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > PROBLEM_MEMORY;
                }
            }));

    public ReloadReporter(EventRecorder events, ReloaderMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /** Sends an alert after every successful reload (null turns alerts off). */
    public void alerts(AlertSender sender) {
        this.alerts = sender;
    }

    public ReloaderMetrics metrics() {
        return metrics;
    }

    public void reloaded(HasMetadata workload, WorkloadKey key, SourceChange change, long startNanos) {
        String res = change.ref().name();
        String type = change.ref().type().name();
        String ns = change.ref().namespace();
        ReloadCause cause = change.cause();
        // Reloader's message unchanged; the cause goes into fields, as logrus prints extra fields.
        var line = LOG.atInfo();
        if (!cause.keys().isEmpty()) {
            line = line.addKeyValue("keys", cause.keys().stream().toList());
        }
        if (!cause.managers().isEmpty()) {
            line = line.addKeyValue("manager", cause.managerList());
        }
        line.log("Changes detected in '{}' of type '{}' in namespace '{}'; updated '{}' of type '{}' in namespace '{}'",
                res, type, ns, key.name(), key.kind().kindName(), key.namespace());
        events.record(workload, "Normal", "Reloaded", "Changes detected in '" + res + "' of type '" + type
                + "' in namespace '" + ns + "', Updated '" + key.name() + "' of type '" + key.kind().kindName()
                + "' in namespace '" + key.namespace() + "'" + cause.suffix(), component(change));
        metrics.reloadExecuted(true, key.namespace());
        metrics.action(key.kind().kindName(), true, startNanos);
        metrics.matched(key.kind().kindName());
        AlertSender a = alerts;
        if (a != null) {
            a.reloaded(change, key);
        }
    }

    /**
     * Missing RBAC (docs/compatibility.md#chart): Reloader only logs it; here it is also counted, and said once as a Warning Event on
     * this controller's own Deployment when {@code RELOADER_NAMESPACE} and {@code RELOADER_DEPLOYMENT_NAME} name it.
     */
    public void forbidden(String resource, String verb, String detail, HasMetadata ownDeployment) {
        metrics.forbidden(resource);
        if (ownDeployment == null || !reportedProblems.add("forbidden|" + resource + "|" + verb)) {
            return;
        }
        events.record(ownDeployment, "Warning", REASON_FORBIDDEN, "RBAC does not allow '" + verb + "' on " + resource
                + ": " + detail, "reloader");
    }

    /** Two referenced sources map to one env var name; said once per workload and variable. */
    public void envVarCollision(HasMetadata workload, WorkloadKey key, String var, List<String> sources) {
        String id = key + "|collision|" + var + "|" + sources;
        if (!reportedProblems.add(id)) {
            return;
        }
        String message = "On " + key.kind().kindName() + " '" + key.name() + "' in namespace '" + key.namespace()
                + "' the sources " + String.join(", ", sources) + " all map to the variable " + var
                + ": with the env-vars strategy each change overwrites the others' value (both still roll)";
        LOG.warn(message);
        events.record(workload, "Warning", REASON_ENV_COLLISION, message, "reloader");
    }

    /** docs/compatibility.md#revert-detection: say that the marker was reverted, and why we do not put it back. */
    public void markerReverted(HasMetadata workload, WorkloadKey key, String what, String byManager) {
        String message = "On " + key.kind().kindName() + " '" + key.name() + "' in namespace '" + key.namespace()
                + "' the reload marker's " + what + (byManager == null ? "" : " by field manager '" + byManager + "'")
                + " although its source did not change; not re-applying it. " + (ownedByController(workload)
                ? "Another controller owns this workload and resets its template: annotate it with "
                + "reloader.stakater.com/rollout-strategy: evict to restart its pods without touching the template"
                : "If a GitOps tool owns this workload, use --reload-strategy=annotations (Flux) or ignore the marker "
                + "in the tool (Argo CD)");
        metrics.markerReverted(key.kind().kindName());
        LOG.warn(message);
        events.record(workload, "Warning", REASON_REVERTED, message, "reloader");
    }

    /** Project extension: Event reason for a reload held until its reload window opens. */
    public static final String REASON_HELD = "ReloadHeld";

    /** A reload waits for the workload's reload window; says when it will run. */
    public void held(HasMetadata workload, WorkloadKey key, List<SourceChange> changes, java.time.Instant until,
                     String window) {
        String sources = String.join(", ", changes.stream().map(c -> c.ref().type().name() + " '" + c.ref().name()
                + "'").toList());
        String message = "Reload of " + key.kind().kindName() + " '" + key.name() + "' in namespace '"
                + key.namespace() + "' for " + sources + " is held until " + until + " (reload window '" + window + "')";
        LOG.info(message);
        events.record(workload, "Normal", REASON_HELD, message, "reloader");
    }

    /** Project extension: Event reason for a paused Deployment that could not be resumed. */
    public static final String REASON_RESUME_FAILED = "ReloadResumeFailed";

    /** Resuming a Deployment paused for a reload failed for good: it stays paused until someone resumes it. */
    public void resumeFailed(HasMetadata deployment, WorkloadKey key, String error) {
        metrics.error("resume_error");
        String message = "Deployment '" + key.name() + "' in namespace '" + key.namespace() + "' was paused for a "
                + "reload and could not be resumed (" + error + "); resume it with 'kubectl rollout resume'";
        events.record(deployment, "Warning", REASON_RESUME_FAILED, message, "reloader");
    }

    private static boolean ownedByController(HasMetadata workload) {
        return workload.getMetadata().getOwnerReferences() != null && workload.getMetadata().getOwnerReferences()
                .stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()));
    }

    /** The template changed, but with updateStrategy OnDelete no pod restarts until someone deletes it. */
    public void onDeletePending(HasMetadata workload, WorkloadKey key) {
        String message = key.kind().kindName() + " '" + key.name() + "' in namespace '" + key.namespace()
                + "' uses updateStrategy OnDelete: its pods pick up the change only when they are deleted";
        LOG.warn(message);
        events.record(workload, "Warning", REASON_ON_DELETE, message, "reloader");
    }

    /** Project extension: Event reason for a reload whose attempts keep failing and that is retried with backoff. */
    public static final String REASON_RETRYING = "ReloadRetrying";
    /** Project extension: Event reason for an evict-strategy reload that evicts nothing (unusable selector). */
    public static final String REASON_EVICTION_SKIPPED = "ReloadEvictionSkipped";

    /**
     * A reload failed several attempts in a row and stays queued, retried with backoff until it is written. The
     * message does not count attempts, so the recorder aggregates repeats into one Event.
     */
    public void retrying(HasMetadata workload, WorkloadKey key, List<SourceChange> changes, String error) {
        String sources = String.join(", ", changes.stream().map(c -> c.ref().type().name() + " '" + c.ref().name()
                + "'").toList());
        String message = "Reload of " + key.kind().kindName() + " '" + key.name() + "' in namespace '"
                + key.namespace() + "'" + (sources.isEmpty() ? "" : " for " + sources) + " keeps failing (" + error
                + "); retrying with backoff until it succeeds";
        LOG.warn(message);
        events.record(workload, "Warning", REASON_RETRYING, message,
                changes.isEmpty() ? "reloader" : component(changes.get(0)));
    }

    /** The evict strategy cannot tell the workload's pods: nothing is evicted. */
    public void evictionSkipped(HasMetadata workload, WorkloadKey key, String why) {
        String message = "Not evicting pods of " + key.kind().kindName() + " '" + key.name() + "' in namespace '"
                + key.namespace() + "': " + why;
        LOG.warn(message);
        events.record(workload, "Warning", REASON_EVICTION_SKIPPED, message, "reloader");
    }

    public void failed(HasMetadata workload, WorkloadKey key, List<SourceChange> changes, String error,
                       long startNanos) {
        String message = "Update for '" + key.name() + "' of type '" + key.kind().kindName() + "' in namespace '"
                + key.namespace() + "' failed with error " + error;
        LOG.error(message);
        for (SourceChange change : changes) {
            LOG.error("Rolling upgrade for '{}' failed with error = {}", change.ref().name(), error);
            metrics.reloadExecuted(false, key.namespace());
            metrics.action(key.kind().kindName(), false, startNanos);
            metrics.matched(key.kind().kindName());
        }
        if (workload != null && !changes.isEmpty()) {
            events.record(workload, "Warning", "ReloadFail", message, component(changes.get(0)));
        }
    }

    public void notFollowed(SourceChange change) {
        LOG.debug("No changes detected in '{}' of type '{}' in namespace '{}'", change.ref().name(),
                change.ref().type().name(), change.ref().namespace());
    }

    public void upToDate(WorkloadKey key, SourceChange change) {
        LOG.debug("{} already reflects {} (hash {}); not written", key, change.ref(), change.hash());
        metrics.skipped("strategy_not_updated");
    }

    /** Reloader's error line for each invalid pattern item, each time it is met. */
    public void invalidPattern(WorkloadKey key, AnnotationProblem problem) {
        LOG.error("Skipping invalid reload annotation on {} '{}' in namespace '{}': {}", key.kind().kindName(),
                key.name(), key.namespace(), problem.message());
    }

    /** A warning line and a Warning Event, once per workload, key and value. */
    public void annotationProblems(HasMetadata workload, WorkloadKey key, List<AnnotationProblem> problems) {
        for (AnnotationProblem p : problems) {
            // A digest, not the value: up to PROBLEM_MEMORY ids are kept, and a value may be 256 KiB.
            String id = key + "|" + p.key() + "|" + digest(p.value() + "|" + p.message());
            if (!reportedProblems.add(id)) {
                continue;
            }
            String message = "Annotation \"" + p.key() + "\" on " + key.kind().kindName() + " '" + key.name()
                    + "' in namespace '" + key.namespace() + "': " + p.message();
            LOG.warn(message);
            events.record(workload, "Warning", REASON_INVALID_ANNOTATION,
                    message.length() > 1000 ? message.substring(0, 1000) : message, "reloader");
            metrics.annotationProblem(key.kind().kindName());
        }
    }

    private static String digest(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Long.toHexString(io.reloader.hash.SourceHasher.first8(d));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String component(SourceChange change) {
        return "reloader-" + change.ref().type().resource();
    }
}
