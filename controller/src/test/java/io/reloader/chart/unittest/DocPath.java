package io.reloader.chart.unittest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * helm-unittest's path syntax as the suites use it: dotted keys ({@code metadata.labels.release-name}), list indexes
 * ({@code containers[0]}) and quoted keys ({@code annotations["meta.helm.sh/release-name"]}). A present key whose
 * value is null is found (as null); a missing key or index is not.
 */
final class DocPath {
    private final String text;
    private final List<Object> steps; // String key or Integer index

    private DocPath(String text, List<Object> steps) {
        this.text = text;
        this.steps = steps;
    }

    static DocPath parse(String text) {
        List<Object> steps = new ArrayList<>();
        int i = 0;
        StringBuilder key = new StringBuilder();
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                flush(key, steps, text);
                i++;
            } else if (c == '[') {
                if (key.length() > 0) {
                    flush(key, steps, text);
                }
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed [ in path " + text);
                }
                String inside = text.substring(i + 1, close).trim();
                if (inside.length() >= 2 && (inside.charAt(0) == '"' || inside.charAt(0) == '\'')
                        && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
                    steps.add(inside.substring(1, inside.length() - 1));
                } else if (inside.matches("\\d+")) {
                    steps.add(Integer.valueOf(inside));
                } else {
                    throw new IllegalArgumentException("path selector [" + inside + "] is not implemented here");
                }
                i = close + 1;
            } else {
                key.append(c);
                i++;
            }
        }
        if (key.length() > 0) {
            steps.add(key.toString());
        }
        return new DocPath(text, List.copyOf(steps));
    }

    private static void flush(StringBuilder key, List<Object> steps, String text) {
        if (key.length() > 0) {
            steps.add(key.toString());
            key.setLength(0);
        } else if (!steps.isEmpty() && steps.get(steps.size() - 1) instanceof String) {
            throw new IllegalArgumentException("empty key in path " + text);
        }
    }

    /** The value at this path, {@code Optional.of(NULL)} for a present null, empty when the path is absent. */
    Optional<Object> find(Map<String, Object> doc) {
        Object at = doc;
        for (Object step : steps) {
            if (step instanceof Integer idx && at instanceof List<?> list) {
                if (idx >= list.size()) {
                    return Optional.empty();
                }
                at = list.get(idx);
            } else if (step instanceof String k && at instanceof Map<?, ?> map) {
                if (!map.containsKey(k)) {
                    return Optional.empty();
                }
                at = map.get(k);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(at == null ? NULL : at);
    }

    /** Marks a present null so that it differs from an absent path. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    static Object unwrap(Object found) {
        return found == NULL ? null : found;
    }

    @Override
    public String toString() {
        return text;
    }
}
