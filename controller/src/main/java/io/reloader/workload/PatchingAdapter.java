package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.write.WorkloadApi;

import java.util.Optional;

/** A kind reloaded by sending the strategy's template patch as it is (DaemonSets, StatefulSets, custom kinds). */
class PatchingAdapter implements WorkloadAdapter {
    private final WorkloadKind kind;
    private final WorkloadApi api;

    PatchingAdapter(WorkloadKind kind, WorkloadApi api) {
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
