package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.ReloadPlan;
import io.reloader.model.RolloutStatus;
import io.reloader.model.RolloutTarget;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;

import java.util.Optional;

/** Jobs are deleted and created again under the same name (see {@link JobAction}). */
final class JobAdapter implements WorkloadAdapter {
    private final JobAction action;

    JobAdapter(JobAction action) {
        this.action = action;
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.JOB;
    }

    @Override
    public Optional<HasMetadata> reload(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        return Optional.of(action.recreate(key, current, plan));
    }

    /** The Job created again has the same name: what the deleted one says does not count. */
    @Override
    public Optional<Reloaded> reloadAndFollow(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        return reload(key, current, plan).map(w -> new Reloaded(w, new RolloutTarget(key, 0,
                current.getMetadata().getUid())));
    }

    @Override
    public RolloutStatus rolloutStatus(HasMetadata workload) {
        return RolloutRules.job(workload);
    }
}
