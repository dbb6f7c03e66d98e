package io.reloader.spec;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;

/**
 * What a workload kind declares to the read side of the flow (watching, indexing, the decision's view), which
 * cannot see the adapters: the adapter of each kind implements this and registers it in {@link KindRegistry}.
 * Pure declarations, about objects of the kind only: the registry may keep them for the life of the process.
 */
public interface KindTraits {

    WorkloadKind kind();

    /**
     * True when the kind's API may be absent from a cluster (its CRD not installed, or not readable): a watch
     * that fails drops the kind with one warning and everything else is reloaded. Otherwise start-up fails.
     */
    default boolean optional() {
        return false;
    }

    /**
     * The flag setting that turns the kind on ({@code --is-Argo-Rollouts=true}), for kinds watched only when asked
     * for; null for kinds watched unless ignored. Named in the warning when an optional kind cannot be watched.
     */
    default String enabledBy() {
        return null;
    }

    /**
     * The workload whose pod template this one runs, when it has none of its own (an Argo Rollout's
     * {@code spec.workloadRef}); null otherwise. The decision then sees that template at this kind's path.
     */
    default WorkloadKey templateSource(HasMetadata workload) {
        return null;
    }

    /** Traits of a kind that declares nothing beyond what it is. */
    static KindTraits plain(WorkloadKind kind) {
        return () -> kind;
    }
}
