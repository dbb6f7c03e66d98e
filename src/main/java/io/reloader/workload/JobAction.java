package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.model.WorkloadKey;
import io.reloader.strategy.ReloadPlan;
import io.reloader.strategy.TemplatePatch;
import io.reloader.write.RetryPolicy;
import io.reloader.write.WorkloadApi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reloads a Job by deleting it and creating it again under the same name (spec §7.1). Unlike Reloader it waits,
 * bounded, until the old Job is gone and retries the create, so a failed create does not silently lose the Job.
 */
public final class JobAction {
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

    /** @return the old Job, on which Events are recorded */
    public HasMetadata recreate(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        Job copy = (Job) TemplatePatch.applyTo(current, plan.patch());
        api.delete(key);
        awaitGone(key);
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
        for (int attempt = 1; ; attempt++) {
            try {
                api.create(copy);
                return current;
            } catch (KubernetesClientException e) {
                if (attempt >= createRetry.maxAttempts()) {
                    throw new ActionFailedException("Job deleted but not recreated: " + e.getMessage());
                }
                sleep(createRetry.backoff(attempt));
            }
        }
    }

    private void awaitGone(WorkloadKey key) {
        long deadline = System.nanoTime() + deletionTimeout.toNanos();
        while (api.read(key).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new ActionFailedException("Job still present " + deletionTimeout.toSeconds()
                        + "s after deletion; not recreated");
            }
            sleep(Duration.ofMillis(200));
        }
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
