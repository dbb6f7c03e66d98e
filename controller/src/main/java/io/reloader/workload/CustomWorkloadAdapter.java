package io.reloader.workload;

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
}
