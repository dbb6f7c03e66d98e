package io.reloader.write;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reloader.kube.Operations;
import io.reloader.model.WorkloadKey;
import io.reloader.spec.PodTemplates;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link WorkloadApi} on the fabric8 client. The field manager is also enforced by the client's interceptor. */
public final class WorkloadWriter implements WorkloadApi {
    private final KubernetesClient client;
    private final PatchContext jsonPatch;
    private final PatchContext mergePatch;

    public WorkloadWriter(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.jsonPatch = new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(fieldManager).build();
        this.mergePatch = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(fieldManager)
                .build();
    }

    @Override
    public HasMetadata patch(WorkloadKey key, List<Map<String, Object>> ops) {
        return Operations.of(client, key.kind()).inNamespace(key.namespace()).resource(PodTemplates.stub(key.kind(), key.namespace(),
                key.name())).patch(jsonPatch, Serialization.asJson(ops));
    }

    @Override
    public HasMetadata mergePatch(WorkloadKey key, Map<String, Object> patch) {
        return Operations.of(client, key.kind()).inNamespace(key.namespace()).resource(PodTemplates.stub(key.kind(), key.namespace(),
                key.name())).patch(mergePatch, Serialization.asJson(patch));
    }

    @Override
    public Optional<HasMetadata> read(WorkloadKey key) {
        return Optional.ofNullable(Operations.of(client, key.kind()).inNamespace(key.namespace()).withName(key.name()).get());
    }

    @Override
    public HasMetadata create(HasMetadata object) {
        return client.resource(object).create();
    }

    @Override
    public void delete(WorkloadKey key) {
        Operations.of(client, key.kind()).inNamespace(key.namespace()).withName(key.name())
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }

    @Override
    public List<HasMetadata> jobsOwnedBy(String namespace, String ownerUid, Map<String, String> labels) {
        var jobs = client.batch().v1().jobs().inNamespace(namespace);
        var listed = labels == null || labels.isEmpty() ? jobs.list() : jobs.withLabels(labels).list();
        return listed.getItems().stream().filter(j -> WorkloadApi.controlledBy(j, ownerUid))
                .map(HasMetadata.class::cast).toList();
    }
}
