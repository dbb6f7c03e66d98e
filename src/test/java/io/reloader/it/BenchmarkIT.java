package io.reloader.it;

import io.reloader.bench.Benchmark;
import io.reloader.bench.BenchmarkReport;
import io.reloader.bench.Population;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A smoke-size run of the benchmark: it works end to end and the properties that do not depend on size hold. */
class BenchmarkIT {
    @TempDir
    Path dir;

    @Test
    void smokeRunWritesTheReportAndMeetsTheSizeIndependentTargets() throws Exception {
        Population p = new Population(200, 1024, 150, 512, 60, 3, 4, 5);
        Map<String, Object> results = new Benchmark(p, io.reloader.cli.ControllerFlags.parse(Map.of(), "--http-port=0",
                "--max-writes-per-second=0"), msg -> { }).run();
        BenchmarkReport.write(dir, p, results);
        assertThat(dir.resolve("benchmarks.md")).exists();
        assertThat(Files.readString(dir.resolve("benchmarks.md"))).contains("| LIST calls per change | 0 | 0.00 | yes |");
        assertThat(dir.resolve("benchmarks.json")).exists();
        assertThat(results.get("listsPerChange")).isEqualTo(0.0);
        assertThat(results.get("maxWritesPerBurstWorkload")).isEqualTo(1);
        assertThat(results.get("minWritesPerBurstWorkload")).isEqualTo(1);
        @SuppressWarnings("unchecked")
        Map<String, Long> verbs = (Map<String, Long>) results.get("controllerRequestsByVerb");
        assertThat(verbs).doesNotContainKeys("LIST", "GET");
    }
}
