package io.reloader.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed Kubernetes label selector. It validates the selector flags at start-up and is also applied on the
 * client side, because not every API server (the in-process one, for instance) filters set-based selectors.
 */
public final class LabelSelector {
    private static final Pattern KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

    private enum Op { EQ, NEQ, EXISTS, NOT_EXISTS, IN, NOT_IN }

    private record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQ, IN -> v != null && values.contains(v);
                case NEQ, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case NOT_EXISTS -> v == null;
            };
        }
    }

    private final String text;
    private final List<Requirement> requirements;

    private LabelSelector(String text, List<Requirement> requirements) {
        this.text = text;
        this.requirements = List.copyOf(requirements);
    }

    /**
     * Normalises Reloader's selector flag items (docs/compatibility.md#flags-and-environment: {@code k:v} → {@code k=v}, {@code k:*} and
     * {@code k=*} → {@code k}), joins them with {@code ,} and parses the result.
     */
    public static LabelSelector fromFlagItems(List<String> items) {
        List<String> normalised = new ArrayList<>();
        for (String item : items) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.contains("=") && !s.contains(" in ") && !s.contains(" notin ") && s.contains(":")) {
                int i = s.indexOf(':');
                s = s.substring(0, i) + "=" + s.substring(i + 1);
            }
            if (s.endsWith("=*") && !s.endsWith("!=*")) {
                s = s.substring(0, s.length() - 2);
            }
            normalised.add(s);
        }
        return parse(String.join(",", normalised));
    }

    /** Parses a selector; throws IllegalArgumentException naming the offending requirement. */
    public static LabelSelector parse(String text) {
        List<Requirement> reqs = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty requirement in label selector \"" + text + "\"");
            }
            reqs.add(requirement(p, text));
        }
        return new LabelSelector(text, reqs);
    }

    private static Requirement requirement(String p, String text) {
        java.util.regex.Matcher set = Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(p);
        if (set.matches()) {
            Set<String> values = new java.util.LinkedHashSet<>();
            for (String v : set.group(3).split(",", -1)) {
                values.add(checkValue(v.trim(), text));
            }
            return new Requirement(checkKey(set.group(1), text), set.group(2).equals("in") ? Op.IN : Op.NOT_IN, values);
        }
        if (p.startsWith("!")) {
            return new Requirement(checkKey(p.substring(1).trim(), text), Op.NOT_EXISTS, Set.of());
        }
        for (String op : List.of("!=", "==", "=")) {
            int i = p.indexOf(op);
            if (i > 0) {
                String key = checkKey(p.substring(0, i).trim(), text);
                String value = checkValue(p.substring(i + op.length()).trim(), text);
                return new Requirement(key, op.equals("!=") ? Op.NEQ : Op.EQ, Set.of(value));
            }
        }
        return new Requirement(checkKey(p, text), Op.EXISTS, Set.of());
    }

    private static String checkKey(String key, String text) {
        if (!KEY.matcher(key).matches() || key.length() > 316) {
            throw new IllegalArgumentException("invalid label key \"" + key + "\" in label selector \"" + text + "\"");
        }
        return key;
    }

    private static String checkValue(String value, String text) {
        if (!VALUE.matcher(value).matches() || value.length() > 63) {
            throw new IllegalArgumentException("invalid label value \"" + value + "\" in label selector \"" + text + "\"");
        }
        return value;
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(r -> r.matches(l));
    }

    /** The selector text to send to the API server. */
    @Override
    public String toString() {
        return text;
    }
}
