package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.ReloadPlan;
import io.reloader.model.RolloutStatus;
import io.reloader.model.RolloutTarget;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.KindTraits;

import java.util.List;
import java.util.Optional;

/**
 * Everything kind-specific about one workload kind: what it is (its {@link WorkloadKind}: API, template path,
 * model class), what the read side must know of it ({@link KindTraits}: optional, template source), which flags
 * turn it off, its RBAC needs, how a reload is carried out, and how its rollout is checked. To add a kind,
 * implement this and add one line to {@link AdapterRegistry#BUILT_IN}; nothing else in the flow names kinds
 * (ArchitectureTest holds it to that).
 */
public interface WorkloadAdapter extends KindTraits {

    @Override
    WorkloadKind kind();

    /** The word of {@code --ignored-workload-types} that turns the kind off ("jobs"); null when none does. */
    default String ignoredAs() {
        return null;
    }

    /**
     * True when the kind honours the pause-period annotation: the reload pauses it, the pauser resumes it when
     * the period ends (and again after a restart). Other kinds get a warning for the annotation.
     */
    default boolean pausable() {
        return false;
    }

    /** True when a reload must be planned on a fresh read, not the cached copy (a Job is copied whole). */
    default boolean plansOnFreshRead() {
        return false;
    }

    /**
     * The API calls the controller makes for the kind (docs/rbac.md): by default an informer, a fresh read and
     * the reload patch on the kind's own resource.
     */
    default List<ApiAccess> apiAccess() {
        return List.of(new ApiAccess(kind().group(), kind().plural(), List.of("list", "watch", "get", "patch")));
    }

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
