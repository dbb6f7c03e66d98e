package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.reloader.model.ReloadPlan;
import io.reloader.model.RolloutStatus;
import io.reloader.model.RolloutTarget;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;

import java.util.List;
import java.util.Optional;

/** CronJobs are never modified: a reload creates a Job from the job template (see {@link CronJobAction}). */
final class CronJobAdapter implements WorkloadAdapter {
    private final CronJobAction action;

    CronJobAdapter(CronJobAction action) {
        this.action = action;
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.CRONJOB;
    }

    @Override
    public String ignoredAs() {
        return "cronjobs";
    }

    /** Never written: the reload lists the Jobs the CronJob owns and creates one. */
    @Override
    public List<ApiAccess> apiAccess() {
        return List.of(new ApiAccess("batch", "cronjobs", List.of("list", "watch", "get")),
                new ApiAccess("batch", "jobs", List.of("list", "create")));
    }

    @Override
    public Optional<HasMetadata> reload(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        return action.createJob((CronJob) current, plan);
    }

    /** Events go on the CronJob; the rollout is the Job the reload created. */
    @Override
    public Progress act(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        Optional<HasMetadata> job = action.create((CronJob) current, plan);
        return new Progress.Written(job.map(j -> current), job.map(j -> new RolloutTarget(
                new WorkloadKey(WorkloadKind.JOB, j.getMetadata().getNamespace(), j.getMetadata().getName()), 0,
                null)).orElse(null));
    }

    /** kstatus: a CronJob is always ready; its Jobs are followed instead. */
    @Override
    public RolloutStatus rolloutStatus(HasMetadata workload) {
        return RolloutStatus.current("CronJob is always ready", -1, -1);
    }
}
