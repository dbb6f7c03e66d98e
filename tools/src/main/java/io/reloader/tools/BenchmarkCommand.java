package io.reloader.tools;

import io.reloader.bench.Benchmark;
import io.reloader.bench.BenchmarkReport;
import io.reloader.cli.JvmFlags;
import io.reloader.bench.Population;
import io.reloader.cli.ControllerFlags;
import io.reloader.logging.LoggingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code reloader benchmark}: measures the controller against baselines, each in a JVM of its own, on an
 * in-process API server, and writes {@code benchmarks.md} and {@code benchmarks.json}. Exit 0 when every target
 * is met, 1 otherwise.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure memory, start-up, API requests, latency and rollouts per burst against baselines.")
final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--secrets", defaultValue = "" + 20_000) int secrets;
    @Option(names = "--secret-bytes", defaultValue = "" + 8 * 1024) int secretBytes;
    @Option(names = "--configmaps", defaultValue = "" + 15_000) int configMaps;
    @Option(names = "--configmap-bytes", defaultValue = "" + 4 * 1024) int configMapBytes;
    @Option(names = "--workloads", defaultValue = "" + 5_000) int workloads;
    @Option(names = "--namespaces", defaultValue = "50") int namespaces;
    @Option(names = "--changes", defaultValue = "100", description = "single changes timed one by one") int changes;
    @Option(names = "--bursts", defaultValue = "50", description = "workloads whose sources change together") int bursts;
    @Option(names = "--helm-secrets", defaultValue = "0", description = "Helm release Secrets (type "
            + "helm.sh/release.v1) added after the population has been measured; the controller is then measured again")
    int helmSecrets;
    @Option(names = "--helm-secret-size", defaultValue = "512Ki", description = "the size of each Helm release "
            + "(bytes, or with a Ki or Mi suffix)")
    String helmSecretSize;
    @Option(names = "--memory-limit", defaultValue = "384", paramLabel = "MIB", description = "the container memory "
            + "limit the controller runs under, in MiB (given to the JVM as -XX:MaxRAM; the chart's default: "
            + "${DEFAULT-VALUE}); 0: none")
    int memoryLimitMib;
    @Option(names = "--output-dir", defaultValue = "docs", description = "where benchmarks.md and .json go")
    Path outputDir;
    @Option(names = "--jar", description = "the controller's jar (default: reloader.jar beside the tools jar)")
    Path jar;
    @Option(names = "--jvm-flags", description = "flags for every measured JVM (default: the README's and the "
            + "image's for the JDK the benchmark runs on: " + JvmFlags.RECOMMENDED + ", and from JDK 25 "
            + JvmFlags.FROM_JDK_25 + ")")
    String jvmFlags;
    @Option(names = "--heap-limits", split = ",", paramLabel = "MIB", defaultValue = "256,128,96,64,48",
            description = "-Xmx values (MiB) to try for the smallest heap that works; 0 skips the search")
    List<Integer> heapLimits;

    @Override
    public Integer call() throws Exception {
        LoggingSetup.configure("", "warning");
        Population p = new Population(secrets, secretBytes, configMaps, configMapBytes, workloads, namespaces, changes,
                bursts, helmSecrets, bytes(helmSecretSize));
        Path toolsJar = Path.of(BenchmarkCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path controllerJar = jar != null ? jar : toolsJar.resolveSibling("reloader.jar");
        List<Integer> limits = heapLimits.stream().filter(m -> m > 0).toList();
        long quiet = ControllerFlags.parse(Map.of()).timing().quietPeriod().toMillis();
        // The measured JVMs run on this benchmark's own JDK: the image's flags for that release.
        String flags = jvmFlags != null ? jvmFlags : JvmFlags.recommendedFor(Runtime.version().feature());
        Benchmark.Settings settings = new Benchmark.Settings(controllerJar, toolsJar,
                Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList(), limits, quiet,
                memoryLimitMib);
        Map<String, Object> results = new Benchmark(p, settings, msg -> System.out.println("benchmark: " + msg)).run();
        BenchmarkReport.write(outputDir, p, results);
        System.out.println(BenchmarkReport.markdown(p, results, BenchmarkReport.targets(results)));
        return BenchmarkReport.targets(results).stream().allMatch(BenchmarkReport.Target::met) ? 0 : 1;
    }

    private static int bytes(String size) {
        String s = size.trim();
        int unit = s.endsWith("Ki") ? 1024 : s.endsWith("Mi") ? 1024 * 1024 : 1;
        String digits = unit == 1 ? s : s.substring(0, s.length() - 2);
        try {
            return Math.multiplyExact(Integer.parseInt(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new BenchmarkCommand()),
                    "--helm-secret-size: expected bytes or a size such as 512Ki or 1Mi, got '" + size + "'");
        }
    }
}
