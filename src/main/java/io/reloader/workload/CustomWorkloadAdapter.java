package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.write.WorkloadApi;

import java.util.Optional;

/**
 * A kind declared with {@code --custom-workload-types} (OpenKruise CloneSet, a Slurm NodeSet, …): read as a generic
 * resource, reloaded with the strategy's patch at its template path, like a Deployment.
 */
public final class CustomWorkloadAdapter implements WorkloadAdapter {
    private final WorkloadKind kind;
    private final WorkloadApi api;

    public CustomWorkloadAdapter(WorkloadKind kind, WorkloadApi api) {
        this.kind = kind;
        this.api = api;
    }

    @Override
    public WorkloadKind kind() {
        return kind;
    }

    @Override
    public Optional<HasMetadata> reload(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        return Optional.of(api.patch(key, plan.patch()));
    }
}
