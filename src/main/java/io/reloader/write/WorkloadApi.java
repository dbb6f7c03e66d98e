package io.reloader.write;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.WorkloadKey;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The two workload calls the reconciler makes; an interface so conflict handling can be tested without a server. */
public interface WorkloadApi {

    /** Applies a JSON Patch; fails with a KubernetesClientException (409 on a stale resourceVersion). */
    HasMetadata patch(WorkloadKey key, List<Map<String, Object>> ops);

    /** Reads the workload from the API server, bypassing caches; empty if it does not exist. */
    Optional<HasMetadata> read(WorkloadKey key);
}
