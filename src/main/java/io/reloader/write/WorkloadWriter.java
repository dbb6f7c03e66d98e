package io.reloader.write;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reloader.model.WorkloadKey;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sends workload writes and fresh reads. Every write names the field manager. */
public final class WorkloadWriter implements WorkloadApi {
    private final KubernetesClient client;
    private final PatchContext jsonPatch;

    public WorkloadWriter(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.jsonPatch = new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(fieldManager).build();
    }

    @Override
    public HasMetadata patch(WorkloadKey key, List<Map<String, Object>> ops) {
        return client.resources(key.kind().rawType()).inNamespace(key.namespace()).withName(key.name())
                .patch(jsonPatch, Serialization.asJson(ops));
    }

    @Override
    public Optional<HasMetadata> read(WorkloadKey key) {
        return Optional.ofNullable(client.resources(key.kind().rawType()).inNamespace(key.namespace())
                .withName(key.name()).get());
    }
}
