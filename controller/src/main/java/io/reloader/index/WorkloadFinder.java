package io.reloader.index;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.PodTemplates;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Finds the workloads a source change may reload, and their current state. */
public interface WorkloadFinder extends AutoCloseable {

    /** Workloads that may follow the source; the decision then picks among them. */
    Collection<WorkloadKey> candidates(SourceRef source);

    /** The last known state of a workload (from a cache or the API), or empty if it no longer exists. */
    Optional<HasMetadata> get(WorkloadKey key);

    /** Every cached workload of a kind (empty when the kind is not cached). */
    Collection<HasMetadata> all(WorkloadKind kind);

    @Override
    void close();

    /**
     * The workload as the decision should see it. A Rollout with {@code spec.workloadRef} has no template of its
     * own; it gets the referenced Deployment's, so references and container choice work as for any workload.
     */
    default HasMetadata effective(HasMetadata workload) {
        Map<String, Object> ref = PodTemplates.rolloutWorkloadRef(workload);
        if (ref == null || !"Deployment".equals(ref.get("kind")) || ref.get("name") == null) {
            return workload;
        }
        Optional<PodTemplateSpec> template = get(new WorkloadKey(WorkloadKind.DEPLOYMENT,
                workload.getMetadata().getNamespace(), String.valueOf(ref.get("name")))).map(PodTemplates::of);
        if (template.isEmpty()) {
            return workload;
        }
        KubernetesSerialization json = new KubernetesSerialization();
        GenericKubernetesResource copy = json.clone((GenericKubernetesResource) workload);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) copy.getAdditionalProperties()
                .getOrDefault("spec", Map.of()));
        spec.put("template", json.convertValue(template.get(), Map.class));
        copy.getAdditionalProperties().put("spec", spec);
        return copy;
    }
}
