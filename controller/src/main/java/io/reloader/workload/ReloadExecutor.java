package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.ReloadPlan;
import io.reloader.model.RolloutTarget;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * Carries out a reload plan through the workload's adapter (spec §7.1): a patch for Deployments, DaemonSets,
 * StatefulSets and Rollouts, a new Job for a CronJob, delete and recreate for a Job.
 */
public final class ReloadExecutor {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private final AnnotationKeys keys;
    private final AdapterRegistry adapters;
    private final DeploymentPauser pauser;

    private PodEvictor evictor;
    private volatile RolloutListener rollouts = (key, written, rollout, plan) -> { };

    /** Told about every rollout a write started, right after the write (before its Events are recorded). */
    @FunctionalInterface
    public interface RolloutListener {
        void started(WorkloadKey key, HasMetadata written, RolloutTarget rollout, ReloadPlan plan);
    }

    /** Who follows the rollouts the writes start. */
    public ReloadExecutor withRolloutListener(RolloutListener listener) {
        this.rollouts = listener;
        return this;
    }

    /** With an evictor, workloads annotated {@code rollout-strategy: evict} are restarted by eviction. */
    public ReloadExecutor withEvictor(PodEvictor evictor) {
        this.evictor = evictor;
        return this;
    }

    public ReloadExecutor(AnnotationKeys keys, AdapterRegistry adapters, DeploymentPauser pauser) {
        this.keys = keys;
        this.adapters = adapters;
        this.pauser = pauser;
    }

    /**
     * @return the object to record Events on, or empty when nothing was written because the result already
     *         exists (a CronJob's Job with the same hash, a suspended CronJob)
     */
    public Optional<HasMetadata> apply(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        Map<String, String> annotations = current.getMetadata().getAnnotations() == null ? Map.of()
                : current.getMetadata().getAnnotations();
        if (!key.kind().equals(WorkloadKind.DEPLOYMENT) && annotations.containsKey(keys.pausePeriod())) {
            LOG.warn("Annotation '{}' only applicable for deployments", keys.pausePeriod());
        }
        if (evictor != null && PodEvictor.wanted(current)) {
            Optional<HasMetadata> restarted = evictor.restart(key, current, plan); // the template is left alone
            restarted.ifPresent(w -> started(key, w, new RolloutTarget(key, RolloutTarget.generationOf(current),
                    null), plan));
            return restarted;
        }
        Optional<WorkloadAdapter.Reloaded> reloaded = adapters.of(key.kind()).reloadAndFollow(key, current, plan);
        reloaded.ifPresent(r -> started(key, r.written(), r.rollout(), plan));
        return reloaded.map(WorkloadAdapter.Reloaded::written);
    }

    /** Following a rollout is never worth failing the write that started it. */
    private void started(WorkloadKey key, HasMetadata written, RolloutTarget rollout, ReloadPlan plan) {
        try {
            rollouts.started(key, written, rollout, plan);
        } catch (RuntimeException e) {
            LOG.warn("Cannot follow the rollout of {}: {}", key, e.toString());
        }
    }

    public AdapterRegistry adapters() {
        return adapters;
    }

    public DeploymentPauser pauser() {
        return pauser;
    }
}
