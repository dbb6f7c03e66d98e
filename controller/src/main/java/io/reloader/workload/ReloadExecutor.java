package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.ReloadPlan;
import io.reloader.model.RolloutTarget;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out a reload plan through the workload's adapter (docs/compatibility.md#kinds-and-actions): a patch for Deployments, DaemonSets,
 * StatefulSets and Rollouts, a new Job for a CronJob, delete and recreate for a Job.
 */
public final class ReloadExecutor {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private final AnnotationKeys keys;
    private final AdapterRegistry adapters;
    private final DeploymentPauser pauser;

    private PodEvictor evictor;
    private JobAction jobs;
    private volatile RolloutListener rollouts = (key, written, rollout, applied) -> { };

    /** Told about every rollout a write started, right after the write (before its Events are recorded). */
    @FunctionalInterface
    public interface RolloutListener {
        void started(WorkloadKey key, HasMetadata written, RolloutTarget rollout, List<SourceChange> applied);
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

    /** The Job recreation the Job adapter uses, so a recreation under way can be continued by key. */
    public ReloadExecutor withJobs(JobAction jobAction) {
        this.jobs = jobAction;
        return this;
    }

    public ReloadExecutor(AnnotationKeys keys, AdapterRegistry adapters, DeploymentPauser pauser) {
        this.keys = keys;
        this.adapters = adapters;
        this.pauser = pauser;
    }

    /**
     * One step of carrying out the plan: written (with the object to record Events on, or empty when nothing was
     * written because the result already exists: a CronJob's Job with the same hash, a suspended CronJob), waiting
     * (look again later), or skipped.
     */
    public Progress apply(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        Map<String, String> annotations = current.getMetadata().getAnnotations() == null ? Map.of()
                : current.getMetadata().getAnnotations();
        if (!adapters.of(key.kind()).pausable() && annotations.containsKey(keys.pausePeriod())) {
            LOG.warn("Annotation '{}' only applicable for deployments", keys.pausePeriod());
        }
        if (evictor != null && PodEvictor.wanted(current)) {
            // The template is left to whoever owns it; the pods being replaced are the rollout.
            return reported(key, current, evictor.step(key, current, plan), plan.applied());
        }
        return reported(key, null, adapters.of(key.kind()).act(key, current, plan), plan.applied());
    }

    /**
     * Tells the rollout listener about a finished write: the rollout the adapter named, else the workload's from
     * the generation of {@code generationFrom} (null: of the object written).
     */
    private Progress reported(WorkloadKey key, HasMetadata generationFrom, Progress p, List<SourceChange> applied) {
        if (p instanceof Progress.Written w && w.object().isPresent()) {
            HasMetadata written = w.object().get();
            RolloutTarget target = w.rollout() != null ? w.rollout() : new RolloutTarget(key,
                    RolloutTarget.generationOf(generationFrom != null ? generationFrom : written), null);
            try {
                rollouts.started(key, written, target, applied);
            } catch (RuntimeException e) { // following a rollout is never worth failing the write that started it
                LOG.warn("Cannot follow the rollout of {}: {}", key, e.toString());
            }
        }
        return p;
    }

    /** True while a reload of the workload takes several steps and is under way (eviction, Job recreation). */
    public boolean inProgress(WorkloadKey key) {
        return (evictor != null && evictor.inProgress(key)) || (jobs != null && jobs.inProgress(key));
    }

    /**
     * Continues a reload that no longer needs the workload as cached: a Job deleted and not yet created again
     * (the cache says it is gone). Null when there is none.
     */
    public Progress resumeDetached(WorkloadKey key) {
        if (jobs == null) {
            return null;
        }
        HasMetadata replaced = jobs.deletedJob(key).orElse(null);
        List<SourceChange> carried = jobs.deletedFor(key);
        Progress p = jobs.resume(key);
        return p == null ? null : reported(key, null, JobAdapter.followingTheNewJob(key, replaced, p), carried);
    }

    /** The workload a detached reload acts for (a deleted Job), to record Events on. */
    public HasMetadata detachedWorkload(WorkloadKey key) {
        return jobs == null ? null : jobs.deletedJob(key).orElse(null);
    }

    /** The changes a detached reload carries out (those planned before the workload was deleted). */
    public List<SourceChange> detachedChanges(WorkloadKey key) {
        return jobs == null ? List.of() : jobs.deletedFor(key);
    }

    /** True when a plan for this kind must be made on a fresh read, not the cached copy (a Job is copied whole). */
    public boolean plansOnFreshRead(WorkloadKey key) {
        return adapters.of(key.kind()).plansOnFreshRead();
    }

    /** Resumes the workload if its kind pauses and its pause period is over; true when it was resumed. */
    public boolean resumeIfDue(WorkloadKey key) {
        return adapters.of(key.kind()).pausable() && pauser.resumeIfDue(key);
    }

    /** Forgets any reload under way for the workload (it is gone, or failed for good). */
    public void forget(WorkloadKey key) {
        if (evictor != null) {
            evictor.forget(key);
        }
    }

    public AdapterRegistry adapters() {
        return adapters;
    }
}
