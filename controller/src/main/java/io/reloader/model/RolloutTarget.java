package io.reloader.model;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The object whose status tells how a reload's rollout goes, as the adapter named it after its write: the workload
 * itself at the generation the write produced, a Job created again under the same name, or the Job made from a
 * CronJob.
 *
 * @param followed    the object to follow
 * @param generation  its state counts only from this generation on (the write's; 0 for a new object)
 * @param replacedUid the object the write replaced (a recreated Job), whose status never counts; or null
 */
public record RolloutTarget(WorkloadKey followed, long generation, String replacedUid) {

    /** True when {@code observed} is what the write produced, not an older state of it or the object it replaced. */
    public boolean reachedBy(HasMetadata observed) {
        if (replacedUid != null && replacedUid.equals(observed.getMetadata().getUid())) {
            return false;
        }
        Long g = observed.getMetadata().getGeneration();
        return g == null || g >= generation;
    }

    public static long generationOf(HasMetadata o) {
        Long g = o == null || o.getMetadata() == null ? null : o.getMetadata().getGeneration();
        return g == null ? 0 : g;
    }
}
