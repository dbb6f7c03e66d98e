package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.reloader.model.RolloutStatus;
import io.reloader.model.WorkloadKind;
import io.reloader.write.WorkloadApi;

/** StatefulSets: one patch; with updateStrategy OnDelete the pods pick it up only when deleted. */
final class StatefulSetAdapter extends PatchingAdapter {
    StatefulSetAdapter(WorkloadApi api) {
        super(WorkloadKind.STATEFULSET, api);
    }

    @Override
    public boolean available(HasMetadata workload, long generation) {
        StatefulSet s = (StatefulSet) workload;
        if (s.getStatus() == null) {
            return false;
        }
        int replicas = s.getSpec() == null || s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        return Rollouts.observed(s.getStatus().getObservedGeneration(), generation)
                && Rollouts.eq(s.getStatus().getUpdatedReplicas(), replicas)
                && Rollouts.eq(s.getStatus().getReadyReplicas(), replicas);
    }

    @Override
    public boolean usesOnDelete(HasMetadata workload) {
        StatefulSet s = (StatefulSet) workload;
        return s.getSpec() != null && s.getSpec().getUpdateStrategy() != null
                && "OnDelete".equals(s.getSpec().getUpdateStrategy().getType());
    }

    @Override
    public RolloutStatus rolloutStatus(HasMetadata workload) {
        return RolloutRules.statefulSet(workload);
    }
}
