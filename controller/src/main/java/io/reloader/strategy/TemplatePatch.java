package io.reloader.strategy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.PodTemplates;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Collects the edits the strategies make to one workload and turns them into one JSON Patch computed against
 * the object as read. JSON Patch means the same on a real API server and on the in-process one (strategic
 * merge does not exist there), and its index-based env edits touch only the entries we own.
 */
public final class TemplatePatch {
    private final HasMetadata workload;
    private final PodTemplateSpec template;
    private final String templatePath;
    /** container index → var → new value, or null for removal. */
    private final Map<Integer, LinkedHashMap<String, String>> envEdits = new TreeMap<>();
    private final LinkedHashMap<String, String> templateAnnotations = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> metadataAnnotations = new LinkedHashMap<>();

    public TemplatePatch(HasMetadata workload, PodTemplateSpec template, String templatePath) {
        this.workload = workload;
        this.template = template;
        this.templatePath = templatePath;
    }

    /** The value the variable has in the container, taking edits made so far into account. */
    public Optional<String> envValue(String container, String var) {
        int index = containerIndex(container);
        if (index < 0) {
            return Optional.empty();
        }
        Map<String, String> edits = envEdits.get(index);
        if (edits != null && edits.containsKey(var)) {
            return Optional.ofNullable(edits.get(var));
        }
        int j = originalEnvIndex(index, var);
        return j < 0 ? Optional.empty() : Optional.ofNullable(envList(index).get(j).getValue());
    }

    public boolean hasContainer(String container) {
        return containerIndex(container) >= 0;
    }

    public void setEnv(String container, String var, String value) {
        envEdits.computeIfAbsent(containerIndex(container), i -> new LinkedHashMap<>()).put(var, value);
    }

    public void removeEnv(String container, String var) {
        envEdits.computeIfAbsent(containerIndex(container), i -> new LinkedHashMap<>()).put(var, null);
    }

    public Optional<String> templateAnnotation(String key) {
        if (templateAnnotations.containsKey(key)) {
            return Optional.of(templateAnnotations.get(key));
        }
        return template.getMetadata() == null || template.getMetadata().getAnnotations() == null ? Optional.empty()
                : Optional.ofNullable(template.getMetadata().getAnnotations().get(key));
    }

    public void setTemplateAnnotation(String key, String value) {
        templateAnnotations.put(key, value);
    }

    public Optional<String> metadataAnnotation(String key) {
        if (metadataAnnotations.containsKey(key)) {
            return Optional.ofNullable(metadataAnnotations.get(key));
        }
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        return annotations == null ? Optional.empty() : Optional.ofNullable(annotations.get(key));
    }

    public void setMetadataAnnotation(String key, String value) {
        metadataAnnotations.put(key, value);
    }

    /** Removes a metadata annotation if the workload has it. */
    public void removeMetadataAnnotation(String key) {
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(key)) {
            metadataAnnotations.put(key, null);
        } else {
            metadataAnnotations.remove(key);
        }
    }

    /** True when the edits would change the pod template (and so roll the workload). */
    public boolean changesTemplate() {
        return !templateAnnotations.isEmpty() || envEdits.values().stream().anyMatch(m -> !m.isEmpty());
    }

    /**
     * The JSON Patch operations. The first one replaces {@code metadata.resourceVersion} with the version read,
     * which the API server treats as a precondition: if the object changed since, the patch fails with 409.
     */
    public List<Map<String, Object>> jsonPatch() {
        List<Map<String, Object>> ops = new ArrayList<>();
        ops.add(JsonPatchOp.of("replace", "/metadata/resourceVersion", workload.getMetadata().getResourceVersion()));
        mapOps(ops, "/metadata", present(workload.getMetadata().getAnnotations()), metadataAnnotations, false);
        mapOps(ops, templatePath + "/metadata", template.getMetadata() != null
                && present(template.getMetadata().getAnnotations()), templateAnnotations,
                template.getMetadata() == null);
        envEdits.forEach((index, edits) -> envOps(ops, index, edits));
        return ops;
    }

    private void mapOps(List<Map<String, Object>> ops, String metadataPath, boolean mapExists,
                        Map<String, String> edits, boolean metadataMissing) {
        Map<String, String> values = new LinkedHashMap<>();
        edits.forEach((k, v) -> {
            if (v == null) {
                ops.add(JsonPatchOp.of("remove", metadataPath + "/annotations/" + escape(k), null));
            } else {
                values.put(k, v);
            }
        });
        if (values.isEmpty()) {
            return;
        }
        if (metadataMissing) {
            ops.add(JsonPatchOp.of("add", metadataPath, Map.of("annotations", new LinkedHashMap<>(values))));
        } else if (!mapExists) {
            ops.add(JsonPatchOp.of("add", metadataPath + "/annotations", new LinkedHashMap<>(values)));
        } else {
            values.forEach((k, v) -> ops.add(JsonPatchOp.of("add", metadataPath + "/annotations/" + escape(k), v)));
        }
    }

    private void envOps(List<Map<String, Object>> ops, int index, Map<String, String> edits) {
        String envPath = templatePath + "/spec/containers/" + index + "/env";
        List<Map<String, Object>> appends = new ArrayList<>();
        List<Integer> removals = new ArrayList<>();
        edits.forEach((var, value) -> {
            int j = originalEnvIndex(index, var);
            if (value == null) {
                if (j >= 0) {
                    removals.add(j);
                }
            } else if (j >= 0) {
                ops.add(JsonPatchOp.of("replace", envPath + "/" + j, envEntry(var, value)));
            } else {
                appends.add(envEntry(var, value));
            }
        });
        removals.stream().sorted((a, b) -> b - a).forEach(j -> ops.add(JsonPatchOp.of("remove", envPath + "/" + j, null)));
        if (appends.isEmpty()) {
            return;
        }
        if (envList(index).isEmpty()) {
            ops.add(JsonPatchOp.of("add", envPath, appends));
        } else {
            appends.forEach(a -> ops.add(JsonPatchOp.of("add", envPath + "/-", a)));
        }
    }

    /**
     * fabric8 models hold an empty map or list where the JSON has none, so "empty" must be treated as "absent":
     * adding a whole map or list replaces an empty one and creates a missing one alike.
     */
    private static boolean present(Map<String, String> map) {
        return map != null && !map.isEmpty();
    }

    private static Map<String, Object> envEntry(String name, String value) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("value", value);
        return entry;
    }

    /** Applies JSON Patch operations to an in-memory copy of an object (for Jobs, which are created, not patched). */
    public static HasMetadata applyTo(HasMetadata object, List<Map<String, Object>> ops) {
        KubernetesSerialization json = new KubernetesSerialization();
        JsonNode patched = JsonPatch.apply(json.convertValue(ops, JsonNode.class), json.convertValue(object, JsonNode.class));
        return PodTemplates.convert(patched, KindRegistry.of(object));
    }

    /** JSON-pointer escaping (RFC 6901). */
    public static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private int containerIndex(String name) {
        List<Container> containers = template.getSpec() == null ? null : template.getSpec().getContainers();
        if (containers == null) {
            return -1;
        }
        for (int i = 0; i < containers.size(); i++) {
            if (name.equals(containers.get(i).getName())) {
                return i;
            }
        }
        return -1;
    }

    private List<EnvVar> envList(int index) {
        List<EnvVar> env = template.getSpec().getContainers().get(index).getEnv();
        return env == null ? List.of() : env;
    }

    private int originalEnvIndex(int index, String var) {
        List<EnvVar> env = envList(index);
        for (int j = 0; j < env.size(); j++) {
            if (var.equals(env.get(j).getName())) {
                return j;
            }
        }
        return -1;
    }
}
