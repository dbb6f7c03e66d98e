package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.WorkloadKind;
import io.reloader.write.WorkloadApi;

/**
 * A kind declared with {@code --custom-workload-types} (OpenKruise CloneSet, a Slurm NodeSet, …): read as a generic
 * resource, reloaded with the strategy's patch at its template path, like a Deployment.
 */
public final class CustomWorkloadAdapter extends PatchingAdapter {
    public CustomWorkloadAdapter(WorkloadKind kind, WorkloadApi api) {
        super(kind, api);
    }

    /** Sequential rollouts wait for a custom kind until kstatus's generic rules say it is Current. */
    @Override
    public boolean available(HasMetadata workload, long generation) {
        return WorkloadAdapter.currentAt(this, workload, generation);
    }
}
