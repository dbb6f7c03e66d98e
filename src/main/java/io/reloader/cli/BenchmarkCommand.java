package io.reloader.cli;

import io.reloader.bench.Benchmark;
import io.reloader.bench.BenchmarkReport;
import io.reloader.bench.Population;
import io.reloader.logging.LoggingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code reloader benchmark}: measures the controller against baselines on an in-process API server and writes
 * {@code benchmarks.md} and {@code benchmarks.json}. Exit 0 when every target is met, 1 otherwise.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure memory, API requests, latency, start-up and rollouts per burst against baselines.")
final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--secrets", defaultValue = "" + 20_000) int secrets;
    @Option(names = "--secret-bytes", defaultValue = "" + 8 * 1024) int secretBytes;
    @Option(names = "--configmaps", defaultValue = "" + 15_000) int configMaps;
    @Option(names = "--configmap-bytes", defaultValue = "" + 4 * 1024) int configMapBytes;
    @Option(names = "--workloads", defaultValue = "" + 5_000) int workloads;
    @Option(names = "--namespaces", defaultValue = "50") int namespaces;
    @Option(names = "--changes", defaultValue = "100", description = "single changes timed one by one") int changes;
    @Option(names = "--bursts", defaultValue = "50", description = "workloads whose sources change together") int bursts;
    @Option(names = "--output-dir", defaultValue = "docs", description = "where benchmarks.md and .json go")
    Path outputDir;

    /** The controller as the benchmark runs it: defaults, no HTTP server, no client-side write limit. */
    static final io.reloader.config.Options BENCHMARKED = ControllerFlags.parse(java.util.Map.of(), "--http-port=0",
            "--max-writes-per-second=0");

    @Override
    public Integer call() throws Exception {
        LoggingSetup.configure("", "warning");
        Population p = new Population(secrets, secretBytes, configMaps, configMapBytes, workloads, namespaces, changes,
                bursts);
        Map<String, Object> results = new Benchmark(p, BENCHMARKED, msg -> System.out.println("benchmark: " + msg)).run();
        BenchmarkReport.write(outputDir, p, results);
        System.out.println(BenchmarkReport.markdown(p, results, BenchmarkReport.targets(results)));
        return BenchmarkReport.targets(results).stream().allMatch(BenchmarkReport.Target::met) ? 0 : 1;
    }
}
