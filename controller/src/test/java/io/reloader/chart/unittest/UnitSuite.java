package io.reloader.chart.unittest;

import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One helm-unittest suite file: {@code suite}, {@code templates}, suite-wide {@code values}/{@code set}/
 * {@code release}, and its {@code tests}. Keys this interpreter does not implement fail the parse, so a suite that
 * starts using one is reported instead of being half-run.
 */
record UnitSuite(String name, Path file, List<String> templates, List<UnitCase> cases) {
    static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SUITE_KEYS = Set.of("suite", "templates", "tests", "values", "set", "release");

    @SuppressWarnings("unchecked")
    static UnitSuite load(Path file) {
        Map<String, Object> doc;
        try {
            doc = YAML.readValue(Files.readString(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        unknownKeys(file + " suite", doc, SUITE_KEYS);
        String name = (String) doc.getOrDefault("suite", file.getFileName().toString());
        List<String> templates = (List<String>) doc.getOrDefault("templates", List.of());
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (String k : List.of("values", "set", "release")) {
            if (doc.containsKey(k)) {
                defaults.put(k, doc.get(k));
            }
        }
        List<UnitCase> cases = new ArrayList<>();
        for (Object t : (List<Object>) doc.getOrDefault("tests", List.of())) {
            Map<String, Object> merged = new LinkedHashMap<>(defaults);
            merged.putAll((Map<String, Object>) t);
            cases.add(UnitCase.parse(name, file.getParent(), merged));
        }
        return new UnitSuite(name, file, List.copyOf(templates), List.copyOf(cases));
    }

    static void unknownKeys(String where, Map<String, ?> map, Set<String> known) {
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(where + ": helm-unittest key '" + k + "' is not implemented here");
            }
        }
    }
}
