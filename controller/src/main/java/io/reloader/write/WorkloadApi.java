package io.reloader.write;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.WorkloadKey;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workload calls the controller makes; an interface so conflict and failure handling can be tested
 * without a server. Every write names the field manager.
 */
public interface WorkloadApi {

    /** Applies a JSON Patch; fails with a KubernetesClientException (409 on a stale resourceVersion). */
    HasMetadata patch(WorkloadKey key, List<Map<String, Object>> ops);

    /** Applies a JSON merge patch. */
    HasMetadata mergePatch(WorkloadKey key, Map<String, Object> patch);

    /** Reads the workload from the API server, bypassing caches; empty if it does not exist. */
    Optional<HasMetadata> read(WorkloadKey key);

    HasMetadata create(HasMetadata object);

    /** Deletes with background propagation (its pods go too). */
    void delete(WorkloadKey key);

    /**
     * Jobs in the namespace whose controller owner has the given uid. {@code labels} (the job template's, which
     * every Job made from it carries) narrow the LIST on the server; empty lists the namespace.
     */
    List<HasMetadata> jobsOwnedBy(String namespace, String ownerUid, Map<String, String> labels);

    /** True if the object's controller owner has the given uid. */
    static boolean controlledBy(HasMetadata o, String ownerUid) {
        return o.getMetadata().getOwnerReferences() != null && o.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> ownerUid.equals(r.getUid()) && Boolean.TRUE.equals(r.getController()));
    }
}
