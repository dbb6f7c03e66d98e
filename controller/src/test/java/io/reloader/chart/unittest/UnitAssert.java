package io.reloader.chart.unittest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of {@code asserts}: its type, {@code not}, optional {@code template}/{@code documentIndex}, and the
 * type's parameters. Only the types Reloader's suites use are implemented, with helm-unittest's semantics; any other
 * type or parameter fails the parse.
 */
record UnitAssert(String type, boolean not, String template, Integer documentIndex, Map<String, Object> params) {
    private static final Map<String, Set<String>> PARAMS = Map.of(
            "equal", Set.of("path", "value"),
            "isEmpty", Set.of("path"),
            "contains", Set.of("path", "content", "count", "any"),
            "notContains", Set.of("path", "content", "any"),
            "notExists", Set.of("path"),
            "hasDocuments", Set.of("count"),
            "isKind", Set.of("of"),
            "isAPIVersion", Set.of("of"));

    @SuppressWarnings("unchecked")
    static UnitAssert parse(String it, Map<String, Object> a) {
        Map<String, Object> rest = new LinkedHashMap<>(a);
        boolean not = Boolean.TRUE.equals(rest.remove("not"));
        String template = (String) rest.remove("template");
        Integer documentIndex = (Integer) rest.remove("documentIndex");
        if (rest.size() != 1) {
            throw new IllegalArgumentException(it + ": an assert needs exactly one type, got " + rest.keySet());
        }
        String type = rest.keySet().iterator().next();
        Set<String> known = PARAMS.get(type);
        if (known == null) {
            throw new IllegalArgumentException(it + ": assertion type '" + type + "' is not implemented here");
        }
        Map<String, Object> params = rest.get(type) == null ? Map.of() : (Map<String, Object>) rest.get(type);
        UnitSuite.unknownKeys(it + " " + type, params, known);
        return new UnitAssert(type, not, template, documentIndex, params);
    }

    /** The reasons this assertion fails on {@code docs} (all documents it selects); empty when it holds. */
    List<String> check(List<Map<String, Object>> docs) {
        List<String> failures = new ArrayList<>();
        if (type.equals("hasDocuments")) {
            int want = ((Number) params.get("count")).intValue();
            verdict(docs.size() == want, "hasDocuments: expected " + want + " documents, rendered " + docs.size(),
                    failures);
            return failures;
        }
        if (docs.isEmpty()) {
            failures.add(type + ": no document rendered for the selected template(s)");
            return failures;
        }
        for (int i = 0; i < docs.size(); i++) {
            String where = type + (params.containsKey("path") ? " " + params.get("path") : "") + " [doc " + i + "]";
            Map<String, Object> doc = docs.get(i);
            switch (type) {
                case "isKind" -> verdict(params.get("of").equals(doc.get("kind")),
                        where + ": kind is " + doc.get("kind") + ", expected " + params.get("of"), failures);
                case "isAPIVersion" -> verdict(params.get("of").equals(doc.get("apiVersion")),
                        where + ": apiVersion is " + doc.get("apiVersion") + ", expected " + params.get("of"), failures);
                case "notExists" -> {
                    Optional<Object> v = path().find(doc);
                    verdict(v.isEmpty(), where + ": exists with value " + v.orElse(null), failures);
                }
                default -> {
                    Optional<Object> found = path().find(doc);
                    if (found.isEmpty()) {
                        failures.add(where + ": path not found");
                    } else {
                        checkValue(DocPath.unwrap(found.get()), where, failures);
                    }
                }
            }
        }
        return failures;
    }

    private void checkValue(Object actual, String where, List<String> failures) {
        switch (type) {
            case "equal" -> verdict(same(actual, params.get("value")),
                    where + ": is " + actual + ", expected " + params.get("value"), failures);
            case "isEmpty" -> verdict(empty(actual), where + ": is not empty: " + actual, failures);
            case "contains", "notContains" -> {
                if (!(actual instanceof List<?> list)) {
                    failures.add(where + ": expected a list, got " + actual);
                    return;
                }
                boolean any = Boolean.TRUE.equals(params.get("any"));
                long matches = list.stream().filter(e -> any ? subset(params.get("content"), e)
                        : same(e, params.get("content"))).count();
                if (type.equals("notContains")) {
                    verdict(matches == 0, where + ": " + list + " contains " + params.get("content"), failures);
                } else if (params.containsKey("count")) {
                    int want = ((Number) params.get("count")).intValue();
                    verdict(matches == want, where + ": " + matches + " of " + list + " match "
                            + params.get("content") + ", expected " + want, failures);
                } else {
                    verdict(matches > 0, where + ": " + list + " does not contain " + params.get("content"), failures);
                }
            }
            default -> throw new IllegalStateException(type);
        }
    }

    private void verdict(boolean holds, String failure, List<String> failures) {
        if (holds == not) {
            failures.add((not ? "not " : "") + failure);
        }
    }

    private DocPath path() {
        return DocPath.parse((String) params.get("path"));
    }

    /** YAML equality: numbers by value (an int and a long of the same number are equal), maps and lists deeply. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.size() == y.size() && x.entrySet().stream()
                    .allMatch(e -> y.containsKey(e.getKey()) && same(e.getValue(), y.get(e.getKey())));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    /** helm-unittest's {@code any: true}: a map's entries are a subset of the element's; anything else is equal. */
    private static boolean subset(Object want, Object element) {
        if (want instanceof Map<?, ?> w && element instanceof Map<?, ?> e) {
            return w.entrySet().stream().allMatch(x -> e.containsKey(x.getKey()) && same(x.getValue(), e.get(x.getKey())));
        }
        return same(want, element);
    }

    /** Go's zero value, as helm-unittest's isEmpty: null, "", 0, false, an empty map or list. */
    private static boolean empty(Object v) {
        return v == null || "".equals(v) || Boolean.FALSE.equals(v)
                || (v instanceof Number n && new BigDecimal(n.toString()).signum() == 0)
                || (v instanceof Map<?, ?> m && m.isEmpty()) || (v instanceof List<?> l && l.isEmpty());
    }
}
