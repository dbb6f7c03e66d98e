package io.reloader.workload;

import io.reloader.model.WorkloadKind;
import io.reloader.spec.KindRegistry;
import io.reloader.write.WorkloadApi;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The adapter of every workload kind, in Reloader's processing order: the one place that knows kinds. */
public final class AdapterRegistry {
    /** The built-in kinds, in Reloader's processing order. A new kind is one adapter class and one line here. */
    public static final List<AdapterFactory> BUILT_IN = List.of(
            c -> new DeploymentAdapter(c.api(), c.pauser()),
            c -> new CronJobAdapter(c.cronJobs()),
            c -> new JobAdapter(c.jobs()),
            c -> new DaemonSetAdapter(c.api()),
            c -> new StatefulSetAdapter(c.api()),
            c -> new RolloutAdapter(c.api(), c.clock()));

    private final Map<WorkloadKind, WorkloadAdapter> byKind = new LinkedHashMap<>();

    /** The adapters the factories make, in their order; each kind becomes known to the whole flow. */
    public AdapterRegistry(AdapterContext context, List<AdapterFactory> factories) {
        factories.forEach(f -> register(f.create(context)));
    }

    /** The built-in adapters. */
    public AdapterRegistry(WorkloadApi api, DeploymentPauser pauser, CronJobAction cronJobs, JobAction jobs,
                            Clock clock) {
        this(new AdapterContext(api, pauser, cronJobs, jobs, clock), BUILT_IN);
    }

    /** The built-in adapters made without collaborators, to read what they declare (they must never act). */
    public static List<WorkloadAdapter> declarations() {
        return BUILT_IN.stream().map(f -> f.create(AdapterContext.NONE)).toList();
    }

    /** Adds an adapter (a custom kind); its kind becomes known to the whole flow. */
    public void register(WorkloadAdapter adapter) {
        byKind.put(adapter.kind(), adapter);
        KindRegistry.register(adapter);
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
