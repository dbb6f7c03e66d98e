package io.reloader.chart.unittest;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reloader's own chart tests (helm-unittest suites vendored unchanged under reloader-chart-tests/) run against our
 * chart, one dynamic test per {@code it}. A case listed in expected-deviations.yaml must fail (a deviation that starts
 * passing is reported, so the list cannot go stale); every other case must pass. Renders in-process: no server.
 */
class ReloaderChartSuitesTest {
    static final Path DIR = Path.of("controller", "src", "test", "resources", "reloader-chart-tests");
    static final Path CHART = Path.of("deployments", "kubernetes", "chart", "reloader");
    /** Reloader's suites at the vendored commit hold this many cases (issue 22 item 4). */
    static final int CASES = 45;

    @TestFactory
    Stream<DynamicContainer> reloaderChartTests() throws IOException {
        Map<String, String> deviations = deviations();
        CaseRunner runner = new CaseRunner(CHART);
        return suites().stream().map(s -> DynamicContainer.dynamicContainer(s.name(), s.cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.it(), () -> {
                    String reason = deviations.get(c.id());
                    if (reason == null) {
                        runner.run(s, c);
                    } else {
                        boolean failed = false;
                        try {
                            runner.run(s, c);
                        } catch (AssertionError expected) {
                            failed = true;
                        }
                        if (!failed) {
                            throw new AssertionError(c.id() + " is listed in expected-deviations.yaml (" + reason
                                    + ") but now passes: remove it from that list");
                        }
                    }
                }))));
    }

    @Test
    void theVendoredSuitesHoldReloadersCasesAndEveryDeviationNamesOne() throws IOException {
        List<UnitSuite> suites = suites();
        Set<String> ids = suites.stream().flatMap(s -> s.cases().stream()).map(UnitCase::id)
                .collect(Collectors.toSet());
        assertThat(suites.stream().mapToInt(s -> s.cases().size()).sum()).isEqualTo(CASES);
        assertThat(ids).hasSize(CASES);
        assertThat(deviations().keySet()).allSatisfy(id -> assertThat(ids).contains(id));
    }

    @Test
    void theInterpreterFailsWhatHelmUnittestFails() throws IOException {
        // A control: the same suite machinery must reject a wrong expectation, or 45/45 would prove nothing.
        Path suite = Files.createTempFile("bad", "_test.yaml");
        try {
            Files.writeString(suite, """
                    suite: Control
                    templates: [service.yaml]
                    tests:
                      - it: wrong port
                        set: {reloader.service.port: 9090}
                        asserts:
                          - equal: {path: 'spec.ports[0].port', value: 9091}
                      - it: wrong count
                        asserts:
                          - hasDocuments: {count: 1}
                      - it: wrong absence
                        set: {reloader: {service: {port: 9090}}}
                        asserts:
                          - notExists: {path: 'metadata.labels["app.kubernetes.io/name"]'}
                      - it: negated truth
                        set: {reloader: {service: {port: 9090}}}
                        asserts:
                          - isKind: {of: Service}
                            not: true
                    """);
            UnitSuite s = UnitSuite.load(suite);
            CaseRunner runner = new CaseRunner(CHART);
            assertThat(s.cases()).hasSize(4).allSatisfy(c ->
                    assertThatThrownBy(() -> runner.run(s, c)).isInstanceOf(AssertionError.class));
        } finally {
            Files.deleteIfExists(suite);
        }
    }

    private static List<UnitSuite> suites() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().endsWith("_test.yaml")).sorted()
                    .map(UnitSuite::load).toList();
        }
    }

    /** "suite / it" → reason. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> deviations() throws IOException {
        Map<String, Object> doc = UnitSuite.YAML.readValue(DIR.resolve("expected-deviations.yaml").toFile(), Map.class);
        List<Map<String, String>> list = (List<Map<String, String>>) doc.getOrDefault("deviations", List.of());
        return list.stream().collect(Collectors.toMap(d -> d.get("case"), d -> d.get("reason")));
    }
}
