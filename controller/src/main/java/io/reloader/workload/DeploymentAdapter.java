package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.model.RolloutStatus;
import io.reloader.model.WorkloadKind;
import io.reloader.write.WorkloadApi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Deployments: one patch, with the pause of a pause period folded in (docs/compatibility.md#pause-period). */
final class DeploymentAdapter implements WorkloadAdapter {
    private final WorkloadApi api;
    private final DeploymentPauser pauser;

    DeploymentAdapter(WorkloadApi api, DeploymentPauser pauser) {
        this.api = api;
        this.pauser = pauser;
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.DEPLOYMENT;
    }

    @Override
    public boolean pausable() {
        return true;
    }

    @Override
    public Optional<HasMetadata> reload(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        List<Map<String, Object>> ops = new ArrayList<>(plan.patch());
        Duration period = pauser.addPause((Deployment) current, ops);
        HasMetadata written = api.patch(key, ops);
        if (period != null) {
            pauser.arm(key, period);
        }
        return Optional.of(written);
    }

    @Override
    public boolean available(HasMetadata workload, long generation) {
        Deployment d = (Deployment) workload;
        if (d.getStatus() == null) {
            return false;
        }
        int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return Rollouts.observed(d.getStatus().getObservedGeneration(), generation)
                && Rollouts.eq(d.getStatus().getUpdatedReplicas(), replicas)
                && Rollouts.eq(d.getStatus().getAvailableReplicas(), replicas);
    }

    @Override
    public RolloutStatus rolloutStatus(HasMetadata workload) {
        return RolloutRules.deployment(workload);
    }
}
