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

    /** One step of carrying out a reload plan; kinds whose reload takes several steps override it. */
    default Progress act(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        return new Progress.Written(reload(key, current, plan));
    }

    /** True once the workload rolled out {@code generation}: every replica updated and available. */
    default boolean available(HasMetadata workload, long generation) {
        return true;
    }

    /**
     * The kstatus answer to {@link #available}, for kinds whose adapter has no replica rules of its own: the
     * written generation (or a later one) is the workload's, and its rollout is Current.
     */
    static boolean currentAt(WorkloadAdapter adapter, HasMetadata workload, long generation) {
        Long g = workload.getMetadata().getGeneration();
        return (g == null || g >= generation) && adapter.rolloutStatus(workload).isCurrent();
    }

    /** True when its pods restart only when deleted (updateStrategy OnDelete), so a reload does not roll them. */
    default boolean usesOnDelete(HasMetadata workload) {
        return false;
    }

    /**
     * Where the workload's rollout stands, by kstatus's rules for the kind. This default is kstatus's generic rule
     * (observedGeneration, then the Reconciling, Stalled and Ready conditions) for kinds it has no rules for.
     */
    default RolloutStatus rolloutStatus(HasMetadata workload) {
        return RolloutRules.generic(workload);
    }

}
