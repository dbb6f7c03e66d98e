package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.ReloadPlan;
import io.reloader.write.WorkloadApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out a reload plan the way each kind needs (spec §7.1): a patch for Deployments, DaemonSets,
 * StatefulSets and Rollouts, a new Job for a CronJob, delete and recreate for a Job.
 */
public final class WorkloadActions {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private final WorkloadApi api;
    private final AnnotationKeys keys;
    private final DeploymentPauser pauser;
    private final CronJobAction cronJobs;
    private final JobAction jobs;
    private final Clock clock;

    public WorkloadActions(WorkloadApi api, AnnotationKeys keys, DeploymentPauser pauser, CronJobAction cronJobs,
                           JobAction jobs, Clock clock) {
        this.api = api;
        this.keys = keys;
        this.pauser = pauser;
        this.cronJobs = cronJobs;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * @return the object to record Events on, or empty when nothing was written because the result already
     *         exists (a CronJob's Job with the same hash, a suspended CronJob)
     */
    public Optional<HasMetadata> apply(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        Map<String, String> annotations = current.getMetadata().getAnnotations() == null ? Map.of()
                : current.getMetadata().getAnnotations();
        if (key.kind() != WorkloadKind.DEPLOYMENT && annotations.containsKey(keys.pausePeriod())) {
            LOG.warn("Annotation '{}' only applicable for deployments", keys.pausePeriod());
        }
        return switch (key.kind()) {
            case DEPLOYMENT -> {
                List<Map<String, Object>> ops = new ArrayList<>(plan.patch());
                Duration period = pauser.addPause((Deployment) current, ops);
                HasMetadata written = api.patch(key, ops);
                if (period != null) {
                    pauser.arm(key, period);
                }
                yield Optional.of(written);
            }
            case DAEMONSET, STATEFULSET -> Optional.of(api.patch(key, plan.patch()));
            case ROLLOUT -> Optional.of(rollout(key, current, plan, annotations));
            case CRONJOB -> cronJobs.createJob((CronJob) current, plan);
            case JOB -> Optional.of(jobs.recreate(key, current, plan));
        };
    }

    /** {@code restart} (or a template that lives elsewhere) sets {@code spec.restartAt}; otherwise the template. */
    private HasMetadata rollout(WorkloadKey key, HasMetadata current, ReloadPlan plan, Map<String, String> annotations) {
        boolean restart = "restart".equals(annotations.get(AnnotationKeys.ROLLOUT_STRATEGY))
                || WorkloadKind.rolloutWorkloadRef(current) != null;
        if (!restart) {
            return api.patch(key, plan.patch());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resourceVersion", current.getMetadata().getResourceVersion());
        metadata.put("annotations", Map.of(AnnotationKeys.APPLIED_HASHES, plan.record()));
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", metadata);
        patch.put("spec", Map.of("restartAt", Rfc3339.now(clock)));
        return api.mergePatch(key, patch);
    }

    public DeploymentPauser pauser() {
        return pauser;
    }
}
