package io.reloader.spec;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.model.WorkloadKind;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a workload's pod template is, for any kind: at the kind's template path. Pure: objects in, objects out.
 */
public final class PodTemplates {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private PodTemplates() {
    }

    /** A copy of the pod template of the workload (the caller may change it), or null if it has none. */
    public static PodTemplateSpec of(HasMetadata workload) {
        PodTemplateSpec template = TypedPath.walk(workload, KindRegistry.of(workload).templatePath());
        if (template != TypedPath.UNTYPED) {
            return template == null ? null : SERIALIZATION.convertValue(template, PodTemplateSpec.class);
        }
        return viaTree(workload);
    }

    /**
     * The pod template as the workload holds it: the same object, not a copy, so it must not be changed; null if
     * the workload has none. What the read side asks of every workload it indexes (tens of thousands at
     * start-up): a typed model is walked by its getters, where a copy converted the whole workload to a tree and
     * the template back. A generic resource (a custom kind, a Rollout) holds no template object: converted.
     */
    public static PodTemplateSpec inPlace(HasMetadata workload) {
        PodTemplateSpec template = TypedPath.walk(workload, KindRegistry.of(workload).templatePath());
        return template != TypedPath.UNTYPED ? template : viaTree(workload);
    }

    private static PodTemplateSpec viaTree(HasMetadata workload) {
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

    /**
     * A copy of the workload with {@code template} at its kind's template path: how the decision sees a workload
     * that runs another's template ({@link KindTraits#templateSource}).
     */
    @SuppressWarnings("unchecked")
    public static HasMetadata withTemplate(HasMetadata workload, PodTemplateSpec template) {
        WorkloadKind kind = KindRegistry.of(workload);
        Map<String, Object> tree = SERIALIZATION.convertValue(workload, Map.class);
        String[] path = kind.templatePath().substring(1).split("/");
        Map<String, Object> parent = tree;
        for (int i = 0; i < path.length - 1; i++) {
            Object child = parent.get(path[i]);
            Map<String, Object> copy = child instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                    : new LinkedHashMap<>();
            parent.put(path[i], copy);
            parent = copy;
        }
        parent.put(path[path.length - 1], SERIALIZATION.convertValue(template, Map.class));
        return convert(tree, kind);
    }
}
