package io.reloader.spec;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.model.WorkloadKind;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Where a workload's pod template is, for any kind: at the kind's template path. Pure: objects in, objects out.
 */
public final class PodTemplates {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private PodTemplates() {
    }

    /** The pod template of the workload, or null if it has none. */
    public static PodTemplateSpec of(HasMetadata workload) {
        JsonNode node = SERIALIZATION.convertValue(workload, JsonNode.class).at(KindRegistry.of(workload).templatePath());
        return node.isMissingNode() || node.isNull() ? null : SERIALIZATION.convertValue(node, PodTemplateSpec.class);
    }

    /** Converts a tree (e.g. after applying a JSON Patch) into the kind's model class. */
    public static HasMetadata convert(Object tree, WorkloadKind kind) {
        return SERIALIZATION.convertValue(tree, kind.type());
    }

    /**
     * An empty object of the kind carrying only its name. Writes go through {@code resource(stub)} because
     * {@code withName(name).patch(...)} makes the client GET the object first.
     */
    public static HasMetadata stub(WorkloadKind kind, String namespace, String name) {
        return convert(Map.of("apiVersion", kind.apiVersion(), "kind", kind.kind(),
                "metadata", Map.of("name", name, "namespace", namespace)), kind);
    }

    /** The {@code spec.workloadRef} of an Argo Rollout, or null when it has its own template. */
    public static Map<String, Object> rolloutWorkloadRef(HasMetadata rollout) {
        if (!(rollout instanceof GenericKubernetesResource g)) {
            return null;
        }
        Object spec = g.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> m && m.get("workloadRef") instanceof Map<?, ?> ref) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) ref;
            return typed;
        }
        return null;
    }
}
