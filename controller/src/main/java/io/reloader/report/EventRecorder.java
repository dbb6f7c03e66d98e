package io.reloader.report;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Records Kubernetes Events on workloads. Implementations never throw: an Event is never worth a failed reload. */
@FunctionalInterface
public interface EventRecorder {
    void record(HasMetadata workload, String type, String reason, String message, String component);
}
