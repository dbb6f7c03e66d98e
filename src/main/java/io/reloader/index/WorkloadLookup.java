package io.reloader.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;

import java.util.Collection;
import java.util.Optional;

/** Finds the workloads a source change may reload, and their current state. */
public interface WorkloadLookup extends AutoCloseable {

    /** Workloads that may follow the source; the decision then picks among them. */
    Collection<WorkloadKey> candidates(SourceRef source);

    /** The last known state of a workload (from a cache or the API), or empty if it no longer exists. */
    Optional<HasMetadata> get(WorkloadKey key);

    @Override
    void close();
}
