package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.ReloadPlan;
import io.reloader.model.RolloutStatus;
import io.reloader.model.RolloutTarget;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;

import java.util.Optional;

/**
 * Everything kind-specific about one workload kind: what it is (its {@link WorkloadKind}: API, template path,
 * model class), how a reload is carried out, and how its rollout is checked. To add a kind, implement this and
 * register it in {@link AdapterRegistry}; nothing else in the flow names kinds.
 */
public interface WorkloadAdapter {

    WorkloadKind kind();

    /**
     * Carries out a reload plan.
     *
     * @return the object to record Events on, or empty when nothing was written because the result already exists
     */
    Optional<HasMetadata> reload(WorkloadKey key, HasMetadata current, ReloadPlan plan);

    /** True once the workload rolled out {@code generation}: every replica updated and available. */
    default boolean available(HasMetadata workload, long generation) {
        return true;
    }

    /** True when its pods restart only when deleted (updateStrategy OnDelete), so a reload does not roll them. */
    default boolean usesOnDelete(HasMetadata workload) {
        return false;
    }

    /**
     * Carries out a reload plan, as {@link #reload}, and names the rollout the write started: by default the
     * workload itself from the generation the write produced.
     */
    default Optional<Reloaded> reloadAndFollow(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        return reload(key, current, plan).map(w -> new Reloaded(w, new RolloutTarget(key,
                RolloutTarget.generationOf(w), null)));
    }

    /**
     * Where the workload's rollout stands, by kstatus's rules for the kind. This default is kstatus's generic rule
     * (observedGeneration, then the Reconciling, Stalled and Ready conditions) for kinds it has no rules for.
     */
    default RolloutStatus rolloutStatus(HasMetadata workload) {
        return RolloutRules.generic(workload);
    }

    /** What a reload wrote: the object to record Events on, and the rollout to follow. */
    record Reloaded(HasMetadata written, RolloutTarget rollout) {
    }
}
