package io.reloader.write;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps a JSON Patch planned from a cached copy from replacing a map that exists on the server. The workload
 * cache strips kubectl's last-applied-configuration, so a workload whose only metadata annotation is that one
 * looks annotation-less, and {@code add /metadata/annotations {…}} would replace the live map and drop it. Such
 * an op is sent only after a fresh read found no annotations; otherwise it becomes one {@code add} per key. The
 * patch's resourceVersion precondition guards the rest: if the object changed since that read, it fails with
 * 409 and is planned again on the object as read.
 */
final class AnnotationMapGuard {
    static final String PATH = "/metadata/annotations";

    private AnnotationMapGuard() {
    }

    /** True when a patch would create (or replace) the whole metadata annotation map. */
    static boolean createsMap(List<Map<String, Object>> ops) {
        return ops.stream().anyMatch(AnnotationMapGuard::isMapCreation);
    }

    /** The patch as it must be sent to an object whose live state is {@code live}. */
    static List<Map<String, Object>> against(List<Map<String, Object>> ops, Supplier<HasMetadata> live) {
        if (!createsMap(ops)) {
            return ops;
        }
        HasMetadata object = live.get();
        Map<String, String> annotations = object == null ? null : object.getMetadata().getAnnotations();
        if (annotations == null || annotations.isEmpty()) {
            return ops;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> op : ops) {
            if (isMapCreation(op) && op.get("value") instanceof Map<?, ?> values) {
                values.forEach((k, v) -> {
                    Map<String, Object> single = new LinkedHashMap<>();
                    single.put("op", "add");
                    single.put("path", PATH + "/" + escape(String.valueOf(k)));
                    single.put("value", v);
                    out.add(single);
                });
            } else {
                out.add(op);
            }
        }
        return out;
    }

    private static boolean isMapCreation(Map<String, Object> op) {
        return PATH.equals(op.get("path")) && ("add".equals(op.get("op")) || "replace".equals(op.get("op")));
    }

    /** JSON-pointer escaping (RFC 6901): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
