package io.reloader.workload;

import io.reloader.model.WorkloadKind;
import io.reloader.write.WorkloadApi;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The adapter of every workload kind, in Reloader's processing order: the one place that knows kinds. */
public final class AdapterRegistry {
    private final Map<WorkloadKind, WorkloadAdapter> byKind = new LinkedHashMap<>();

    public AdapterRegistry(WorkloadApi api, DeploymentPauser pauser, CronJobAction cronJobs, JobAction jobs,
                            Clock clock) {
        register(new DeploymentAdapter(api, pauser));
        register(new CronJobAdapter(cronJobs));
        register(new JobAdapter(jobs));
        register(new DaemonSetAdapter(api));
        register(new StatefulSetAdapter(api));
        register(new RolloutAdapter(api, clock));
    }

    /** Adds an adapter (a custom kind); its kind becomes known to the whole flow. */
    public void register(WorkloadAdapter adapter) {
        byKind.put(adapter.kind(), adapter);
        io.reloader.spec.KindRegistry.register(adapter.kind());
    }

    public WorkloadAdapter of(WorkloadKind kind) {
        WorkloadAdapter adapter = byKind.get(kind);
        if (adapter == null) {
            throw new IllegalArgumentException("no adapter for workload kind " + kind);
        }
        return adapter;
    }

    public List<WorkloadKind> kinds() {
        return List.copyOf(byKind.keySet());
    }
}
