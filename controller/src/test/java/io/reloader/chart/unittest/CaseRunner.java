package io.reloader.chart.unittest;

import com.marcnuri.helm.Helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one case as {@code helm unittest} would: renders the chart in-process with Helm (helm-java, no cluster), keeps
 * the documents of the suite's templates (by their {@code # Source:} line), and checks each assertion on them.
 */
final class CaseRunner {
    private final Path chart;

    CaseRunner(Path chart) {
        this.chart = chart;
    }

    /** Throws an AssertionError naming every assertion that does not hold. */
    void run(UnitSuite suite, UnitCase c) {
        Map<String, List<Map<String, Object>>> byTemplate = render(c);
        List<String> failures = new ArrayList<>();
        for (UnitAssert a : c.asserts()) {
            List<Map<String, Object>> docs = new ArrayList<>();
            String only = a.template() != null ? a.template() : c.template();
            for (String t : only != null ? List.of(only) : suite.templates()) {
                docs.addAll(byTemplate.getOrDefault(t, List.of()));
            }
            Integer index = a.documentIndex() != null ? a.documentIndex() : c.documentIndex();
            if (index != null && !a.type().equals("hasDocuments")) {
                docs = index < docs.size() ? List.of(docs.get(index)) : List.of();
            }
            failures.addAll(a.check(docs));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(c.id() + ":\n  " + String.join("\n  ", failures));
        }
    }

    private Map<String, List<Map<String, Object>>> render(UnitCase c) {
        try {
            Path values = Files.createTempFile("unittest-values", ".yaml");
            try {
                Files.writeString(values, UnitSuite.YAML.writeValueAsString(c.values()));
                String out = new Helm(chart).template().withName(c.releaseName())
                        .withNamespace(c.releaseNamespace()).withValuesFile(values).call();
                return split(out);
            } finally {
                Files.deleteIfExists(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Documents keyed by template path relative to {@code templates/}, e.g. {@code service.yaml}. */
    @SuppressWarnings("unchecked")
    static Map<String, List<Map<String, Object>>> split(String rendered) throws IOException {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (String doc : rendered.split("(?m)^---\\s*$")) {
            String source = null;
            for (String line : doc.lines().toList()) {
                if (line.startsWith("# Source: ")) {
                    String p = line.substring("# Source: ".length()).trim();
                    int t = p.indexOf("/templates/");
                    source = t < 0 ? p : p.substring(t + "/templates/".length());
                    break;
                }
            }
            if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue; // a template that rendered nothing
            }
            Object parsed = UnitSuite.YAML.readValue(doc, Object.class);
            if (source != null && parsed instanceof Map<?, ?> m) {
                out.computeIfAbsent(source, k -> new ArrayList<>()).add((Map<String, Object>) m);
            }
        }
        return out;
    }
}
