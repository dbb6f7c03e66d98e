package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.ReloadPlan;
import io.reloader.model.RolloutStatus;
import io.reloader.model.RolloutTarget;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;

import java.util.List;
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
    public String ignoredAs() {
        return "jobs";
    }

    @Override
    public boolean plansOnFreshRead() {
        return true;
    }

    /** The informer and fresh reads; the reload deletes the Job, waits until it is gone and creates it again. */
    @Override
    public List<ApiAccess> apiAccess() {
        return List.of(new ApiAccess("batch", "jobs", List.of("list", "watch", "get", "delete", "create")));
    }

    @Override
    public Optional<HasMetadata> reload(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        return act(key, current, plan) instanceof Progress.Written w ? w.object() : Optional.empty();
    }

    @Override
    public Progress act(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        return followingTheNewJob(key, current, action.recreate(key, current, plan));
    }

    /** The Job created again has the same name: what the deleted one ({@code replaced}) says does not count. */
    static Progress followingTheNewJob(WorkloadKey key, HasMetadata replaced, Progress p) {
        return p instanceof Progress.Written w && w.object().isPresent() && replaced != null
                ? new Progress.Written(w.object(), new RolloutTarget(key, 0, replaced.getMetadata().getUid())) : p;
    }

    @Override
    public RolloutStatus rolloutStatus(HasMetadata workload) {
        return RolloutRules.job(workload);
    }
}
