package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.reloader.model.RolloutStatus;
import io.reloader.model.WorkloadKind;
import io.reloader.write.WorkloadApi;

/** DaemonSets: one patch; with updateStrategy OnDelete the pods pick it up only when deleted. */
final class DaemonSetAdapter extends PatchingAdapter {
    DaemonSetAdapter(WorkloadApi api) {
        super(WorkloadKind.DAEMONSET, api);
    }

    @Override
    public boolean available(HasMetadata workload, long generation) {
        DaemonSet d = (DaemonSet) workload;
        if (d.getStatus() == null) {
            return false;
        }
        Integer desired = d.getStatus().getDesiredNumberScheduled();
        return Rollouts.observed(d.getStatus().getObservedGeneration(), generation) && desired != null
                && Rollouts.eq(d.getStatus().getUpdatedNumberScheduled(), desired)
                && Rollouts.eq(d.getStatus().getNumberAvailable(), desired);
    }

    @Override
    public boolean usesOnDelete(HasMetadata workload) {
        DaemonSet d = (DaemonSet) workload;
        return d.getSpec() != null && d.getSpec().getUpdateStrategy() != null
                && "OnDelete".equals(d.getSpec().getUpdateStrategy().getType());
    }

    @Override
    public RolloutStatus rolloutStatus(HasMetadata workload) {
        return RolloutRules.daemonSet(workload);
    }
}
