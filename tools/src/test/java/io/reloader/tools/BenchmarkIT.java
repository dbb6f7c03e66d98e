package io.reloader.tools;

import io.reloader.bench.Benchmark;
import io.reloader.bench.BenchmarkReport;
import io.reloader.cli.JvmFlags;
import io.reloader.bench.Population;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke-size run of the benchmark against the built jar: the controller and the baselines run in JVMs of their
 * own, the report is written, and the properties that do not depend on size hold.
 */
class BenchmarkIT {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void smokeRunWritesTheReportAndMeetsTheSizeIndependentTargets() throws Exception {
        Population p = new Population(200, 1024, 150, 512, 60, 3, 4, 5);
        Benchmark.Settings settings = new Benchmark.Settings(Path.of("target/reloader.jar"), Path.of("target/reloader-tools.jar"),
                Arrays.asList(JvmFlags.RECOMMENDED.split(" ")), List.of(), 300);
        Map<String, Object> results = new Benchmark(p, settings, msg -> { }).run();
        BenchmarkReport.write(dir, p, results);
        String md = Files.readString(dir.resolve("benchmarks.md"));
        assertThat(md).contains("| LIST calls per change | 0 | 0.00 | yes |")
                .contains("| Writes per workload per burst (2-3 sources changed) | exactly 1 | min 1, max 1 | yes |");
        assertThat(dir.resolve("benchmarks.json")).exists();
        Map<String, Object> controller = (Map<String, Object>) results.get("controller");
        Map<String, Object> baseline = (Map<String, Object>) results.get("baseline");
        assertThat((Map<String, Long>) controller.get("requestsByVerb")).doesNotContainKeys("LIST", "GET");
        // Measured in the child JVMs, not in this one.
        assertThat((Long) controller.get("heapAfterGcBytes")).isPositive();
        assertThat((Long) baseline.get("heapAfterGcBytes")).isPositive();
        assertThat((Long) controller.get("rssPeakBytes")).isGreaterThanOrEqualTo((Long) controller.get("rssReadyBytes"));
        assertThat((Map<String, Object>) controller.get("eventLoop")).extractingByKey("probes")
                .satisfies(n -> assertThat(((Number) n).longValue()).isPositive());
    }
}
