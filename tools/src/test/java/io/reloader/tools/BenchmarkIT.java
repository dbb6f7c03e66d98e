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
        Population p = new Population(200, 1024, 150, 512, 60, 3, 4, 5, 20, 64 * 1024);
        Benchmark.Settings settings = new Benchmark.Settings(Path.of("target/reloader.jar"), Path.of("target/reloader-tools.jar"),
                Arrays.asList(JvmFlags.RECOMMENDED.split(" ")), List.of(), 300, 384);
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
        // The heap follows the (emulated) container limit: the percentages in the image's flags are taken of it.
        assertThat((String) results.get("jvmFlags")).contains("-XX:MaxRAM=384m").doesNotContain("-Xmx");
        // GC share of start-up comes from the child's own counters: at least one collection ran while it listed.
        assertThat(((Number) controller.get("collectionsAtReady")).longValue()).isPositive();
        assertThat(((Number) controller.get("gcShareOfStartup")).doubleValue()).isBetween(0.0, 1.0);
        // The empty cluster's reference runs in the same run, against the same empty API server.
        Map<String, Object> empty = (Map<String, Object>) results.get("emptyCluster");
        assertThat(((Number) empty.get("plainInformerLaunchToSyncedSeconds")).doubleValue()).isPositive();
        assertThat(((Number) empty.get("rssSteadyBytes")).longValue()).isPositive();
        // Helm release Secrets are added after the first measurement; the controller syncs them and still reloads.
        Map<String, Object> helm = (Map<String, Object>) results.get("controllerWithHelm");
        assertThat(helm.get("changesApplied")).isEqualTo(helm.get("changes"));
        assertThat(((Number) results.get("helmJsonBytes")).longValue()).isGreaterThan(20L * 64 * 1024 * 4 / 3);
        assertThat(md).contains("| With the Helm release Secrets: every change applied | all | 10 of 10 | yes |");
    }
}
