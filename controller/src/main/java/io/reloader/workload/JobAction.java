package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reloader.kube.ApiErrors;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.strategy.TemplatePatch;
import io.reloader.write.RetryPolicy;
import io.reloader.write.WorkloadApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reloads a Job by deleting it and creating it again under the same name (spec §7.1). Unlike Reloader it waits,
 * bounded, until the old Job is gone and retries the create, so a failed create does not silently lose the Job.
 */
public final class JobAction {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    private static final Duration POLL = Duration.ofMillis(200);
    private static final List<String> GENERATED_LABELS = List.of("controller-uid", "batch.kubernetes.io/controller-uid",
            "batch.kubernetes.io/job-name", "job-name");

    private final WorkloadApi api;
    private final Duration deletionTimeout;
    private final RetryPolicy createRetry;

    public JobAction(WorkloadApi api, Duration deletionTimeout, RetryPolicy createRetry) {
        this.api = api;
        this.deletionTimeout = deletionTimeout;
        this.createRetry = createRetry;
    }

    /**
     * Deletes the Job and creates its patched copy. Once the delete went through, the copy held here is the only
     * one left, so every failure after it (a read while waiting, a create refused or timed out) is retried from
     * that copy; after the last attempt the failure is reported (ReloadFail), never dropped in silence.
     *
     * @return the old Job, on which Events are recorded
     */
    public HasMetadata recreate(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        Job copy = recreatable((Job) TemplatePatch.applyTo(current, plan.patch()));
        api.delete(key);
        awaitGone(key);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= createRetry.maxAttempts(); attempt++) {
            try {
                api.create(copy);
                return current;
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("Creating Job '{}' in namespace '{}' again failed (attempt {} of {}): {}", key.name(),
                        key.namespace(), attempt, createRetry.maxAttempts(), ApiErrors.describe(e));
                if (attempt < createRetry.maxAttempts()) {
                    sleep(createRetry.backoff(attempt));
                }
            }
        }
        throw new ActionFailedException("Job deleted but not recreated: " + ApiErrors.describe(last));
    }

    private static Job recreatable(Job copy) {
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setUid(null);
        copy.getMetadata().setCreationTimestamp(null);
        copy.getMetadata().setManagedFields(null);
        copy.setStatus(null);
        copy.getSpec().setSelector(null);
        Map<String, String> labels = copy.getSpec().getTemplate().getMetadata() == null ? null
                : copy.getSpec().getTemplate().getMetadata().getLabels();
        if (labels != null) {
            GENERATED_LABELS.forEach(labels::remove);
        }
        return copy;
    }

    /**
     * Waits, bounded, until the old Job is gone. A failed read does not end the wait (the create that follows
     * would be refused while the old Job exists, and is retried); at the deadline the create is tried anyway.
     */
    private void awaitGone(WorkloadKey key) {
        long deadline = System.nanoTime() + deletionTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (api.read(key).isEmpty()) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.debug("Reading Job '{}' in namespace '{}' while it is deleted failed: {}", key.name(),
                        key.namespace(), ApiErrors.describe(e));
            }
            sleep(POLL);
        }
        LOG.warn("Job '{}' in namespace '{}' still present {}s after deletion; creating it again anyway", key.name(),
                key.namespace(), deletionTimeout.toSeconds());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailedException("interrupted while recreating the Job");
        }
    }
}
