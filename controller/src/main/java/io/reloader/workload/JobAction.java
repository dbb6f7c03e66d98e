package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.kube.ApiErrors;
import io.reloader.model.ReloadPlan;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKey;
import io.reloader.strategy.TemplatePatch;
import io.reloader.write.RetryPolicy;
import io.reloader.write.WorkloadApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reloads a Job by deleting it and creating it again under the same name (docs/compatibility.md#kinds-and-actions). The copy is made from a
 * fresh read (the cache drops fields such as kubectl's last-applied-configuration) and keeps the Job's labels and
 * annotations, apart from those the Job controller generates. Unlike Reloader it creates the copy only once the old
 * Job is gone (bounded by a timeout) and keeps trying while the create fails for a reason worth another attempt,
 * so a failed create does not silently lose the Job. Waiting is a step that says when to look again, never a sleep.
 */
public final class JobAction {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    static final Duration POLL = Duration.ofMillis(200);
    /** Set by the Job controller on the Job and its pod template; the new Job gets its own. */
    static final List<String> GENERATED_LABELS = List.of("controller-uid", "batch.kubernetes.io/controller-uid",
            "batch.kubernetes.io/job-name", "job-name");
    static final List<String> GENERATED_ANNOTATIONS = List.of("batch.kubernetes.io/job-tracking");

    private final WorkloadApi api;
    private final Duration deletionTimeout;
    private final Clock clock;
    /** Jobs deleted and not created again yet: the copy held here is the only one left. */
    private final Map<WorkloadKey, Deleted> deleted = new ConcurrentHashMap<>();

    private record Deleted(Job copy, HasMetadata old, String oldUid, Instant at, List<SourceChange> applied) {
    }

    public JobAction(WorkloadApi api, Duration deletionTimeout, Clock clock) {
        this.api = api;
        this.deletionTimeout = deletionTimeout;
        this.clock = clock;
    }

    /**
     * Deletes the Job and creates its patched copy once the old one is gone; a Job already deleted by an earlier
     * step is continued from the held copy.
     *
     * @return written with the old Job (on which Events are recorded), or when to look again
     * @throws KubernetesClientException a failed call: retried from the held copy if it is worth another attempt
     */
    public Progress recreate(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        Deleted d = deleted.get(key);
        if (d == null) {
            HasMetadata fresh = api.read(key).orElseThrow(() -> new KubernetesClientException(
                    "Job " + key.name() + " is gone", 404, null));
            if (!Objects.equals(fresh.getMetadata().getResourceVersion(), current.getMetadata().getResourceVersion())) {
                // The plan was made on an older copy: decide again on this one.
                throw new KubernetesClientException("Job " + key.name() + " changed", 409, null);
            }
            Job copy = recreatable((Job) TemplatePatch.applyTo(fresh, plan.patch()));
            try {
                api.delete(key);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
            d = new Deleted(copy, current, fresh.getMetadata().getUid(), clock.instant(), plan.applied());
            deleted.put(key, d);
        }
        return createWhenGone(key, d);
    }

    /** True when the Job was deleted and its copy is not created yet. */
    public boolean inProgress(WorkloadKey key) {
        return deleted.containsKey(key);
    }

    /** The changes the held copy carries (changes that arrived since are not in it). */
    public List<SourceChange> deletedFor(WorkloadKey key) {
        Deleted d = deleted.get(key);
        return d == null ? List.of() : d.applied();
    }

    /** The Job as it was before a deletion whose copy is not created yet (to record Events on). */
    public Optional<HasMetadata> deletedJob(WorkloadKey key) {
        Deleted d = deleted.get(key);
        return d == null ? Optional.empty() : Optional.of(d.old());
    }

    /** Continues a recreation under way, or null when there is none. */
    public Progress resume(WorkloadKey key) {
        Deleted d = deleted.get(key);
        return d == null ? null : createWhenGone(key, d);
    }

    private Progress createWhenGone(WorkloadKey key, Deleted d) {
        Optional<HasMetadata> still = api.read(key);
        if (still.isPresent() && !Objects.equals(still.get().getMetadata().getUid(), d.oldUid())) {
            deleted.remove(key); // created again by someone else meanwhile
            return new Progress.Written(Optional.of(d.old()));
        }
        boolean overdue = Duration.between(d.at(), clock.instant()).compareTo(deletionTimeout) > 0;
        if (still.isPresent() && !overdue) {
            return new Progress.Waiting(POLL);
        }
        if (still.isPresent()) {
            LOG.warn("Job '{}' in namespace '{}' still present {}s after deletion; creating it again anyway",
                    key.name(), key.namespace(), deletionTimeout.toSeconds());
        }
        try {
            api.create(d.copy());
        } catch (KubernetesClientException e) {
            LOG.warn("Creating Job '{}' in namespace '{}' again failed: {}", key.name(), key.namespace(),
                    ApiErrors.describe(e));
            if (e.getCode() == 409 && !overdue) {
                return new Progress.Waiting(POLL); // the old Job is still terminating
            }
            if (!RetryPolicy.retryable(e)) {
                deleted.remove(key);
                throw new ActionFailedException("Job deleted but not recreated: " + ApiErrors.describe(e));
            }
            throw e;
        }
        deleted.remove(key);
        return new Progress.Written(Optional.of(d.old()));
    }

    static Job recreatable(Job copy) {
        var meta = copy.getMetadata();
        meta.setResourceVersion(null);
        meta.setUid(null);
        meta.setCreationTimestamp(null);
        meta.setDeletionTimestamp(null);
        meta.setDeletionGracePeriodSeconds(null);
        meta.setGeneration(null);
        meta.setSelfLink(null);
        meta.setManagedFields(null);
        if (meta.getLabels() != null) {
            GENERATED_LABELS.forEach(meta.getLabels()::remove);
        }
        if (meta.getAnnotations() != null) {
            GENERATED_ANNOTATIONS.forEach(meta.getAnnotations()::remove);
        }
        copy.setStatus(null);
        copy.getSpec().setSelector(null);
        Map<String, String> labels = copy.getSpec().getTemplate().getMetadata() == null ? null
                : copy.getSpec().getTemplate().getMetadata().getLabels();
        if (labels != null) {
            GENERATED_LABELS.forEach(labels::remove);
        }
        return copy;
    }
}
