package io.reloader.chart.unittest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code tests[]} entry. Values follow helm-unittest: the {@code values} files in order, then {@code set} on top
 * (a dotted {@code set} key is a nested path); a {@code null} is passed through, so Helm drops the chart's default
 * as {@code --set key=null} does.
 */
record UnitCase(String suite, String it, Map<String, Object> values, String releaseName, String releaseNamespace,
                Integer documentIndex, String template, List<UnitAssert> asserts) {
    /** helm-unittest's defaults are RELEASE-NAME / NAMESPACE; Helm's name validation needs lower case. */
    static final String DEFAULT_RELEASE = "release-name";
    static final String DEFAULT_NAMESPACE = "namespace";
    private static final Set<String> CASE_KEYS =
            Set.of("it", "set", "values", "release", "documentIndex", "template", "asserts");

    String id() {
        return suite + " / " + it;
    }

    @SuppressWarnings("unchecked")
    static UnitCase parse(String suite, Path dir, Map<String, Object> t) {
        String it = (String) t.get("it");
        UnitSuite.unknownKeys(suite + " / " + it, t, CASE_KEYS);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Object f : (List<Object>) t.getOrDefault("values", List.of())) {
            try {
                merge(values, UnitSuite.YAML.readValue(java.nio.file.Files.readString(dir.resolve((String) f)), Map.class));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Map<String, Object> set = (Map<String, Object>) t.getOrDefault("set", Map.of());
        set.forEach((key, v) -> merge(values, nested(key, v)));
        Map<String, Object> release = (Map<String, Object>) t.getOrDefault("release", Map.of());
        UnitSuite.unknownKeys(it + " release", release, Set.of("name", "namespace"));
        List<UnitAssert> asserts = new ArrayList<>();
        for (Object a : (List<Object>) t.getOrDefault("asserts", List.of())) {
            asserts.add(UnitAssert.parse(it, (Map<String, Object>) a));
        }
        return new UnitCase(suite, it, values, (String) release.getOrDefault("name", DEFAULT_RELEASE),
                (String) release.getOrDefault("namespace", DEFAULT_NAMESPACE), (Integer) t.get("documentIndex"),
                (String) t.get("template"), List.copyOf(asserts));
    }

    private static Map<String, Object> nested(String dotted, Object value) {
        if (dotted.contains("[")) {
            throw new IllegalArgumentException("set key with an index is not implemented here: " + dotted);
        }
        String[] parts = dotted.split("\\.");
        Object v = value;
        for (int i = parts.length - 1; i > 0; i--) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(parts[i], v);
            v = m;
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put(parts[0], v);
        return top;
    }

    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            if (v instanceof Map<?, ?> src && into.get(k) instanceof Map<?, ?> dst) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) dst);
                merge(copy, (Map<String, Object>) src);
                into.put(k, copy);
            } else {
                into.put(k, v);
            }
        });
    }
}
