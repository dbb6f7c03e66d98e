package io.reloader.bench;

import io.reloader.cli.JvmFlags;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the controller and the baselines, each in a JVM of its own started with the same flags, against an
 * in-process API server holding a generated population, and measures what an operator sees: resident memory,
 * live heap, launch → first request → ready, event-loop stalls, latency, writes per burst and requests by verb.
 * Every number comes from this run; {@link BenchmarkReport} writes them down.
 */
public final class Benchmark {
    static final String DRIVER_AGENT = "benchmark-driver";
    private static final Set<String> OWN_AGENTS = Set.of(DRIVER_AGENT, BaselineProcess.INFORMERS_AGENT,
            BaselineProcess.BARE_AGENT, ServingFloor.AGENT);

    private final Population population;
    private final Settings settings;
    private final Consumer<String> progress;
    private final Random random = new Random(42);
    private KubernetesMockServer server;
    private ScaledCrudDispatcher api;
    private KubernetesClient driver;
    private ChangeDriver changes;
    private Path work;
    private Path kubeconfig;
    /** workload name → the ConfigMaps it references (namespace-local names). */
    private final Map<String, List<String>> references = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    /** The settings' flags plus the class-data archive, as the README tells java -jar users to run it. */
    private List<String> controllerFlags;

    /**
     * How the benchmark runs the programs it measures.
     *
     * @param jar           the controller's jar, run with {@code java <jvmFlags> -jar}
     * @param toolsJar      the jar holding the baselines' classes (the tools jar)
     * @param jvmFlags      the JVM flags every measured JVM gets (the README's and the image's)
     * @param heapLimitsMib the {@code -Xmx} values to try for the smallest heap that syncs and reloads; empty: skip
     */
    public record Settings(Path jar, Path toolsJar, List<String> jvmFlags, List<Integer> heapLimitsMib,
                           long quietPeriodMillis, int memoryLimitMib) {
        /** Without a container limit: the JVM sizes itself from the machine's memory. */
        public Settings(Path jar, Path toolsJar, List<String> jvmFlags, List<Integer> heapLimitsMib,
                        long quietPeriodMillis) {
            this(jar, toolsJar, jvmFlags, heapLimitsMib, quietPeriodMillis, 0);
        }
    }

    /**
     * The reference for an empty cluster: a plain fabric8 informer program with the smallest settings that still
     * run it (Vert.x 5 client, serial collector, 32 MiB heap, the quick compiler only).
     */
    static final List<String> PLAIN_INFORMER_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx32m",
            "-XX:TieredStopAtLevel=1");

    /**
     * The baselines run with the JVM's defaults, as the programs they stand for would: with the controller's heap
     * cap the full-object informers could not hold the population at all.
     */
    private static final List<String> BASELINE_FLAGS = List.of();

    public Benchmark(Population population, Settings settings, Consumer<String> progress) {
        this.population = population;
        this.settings = settings;
        this.progress = progress;
    }

    public Map<String, Object> run() throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        Map<String, Object> results = new LinkedHashMap<>();
        api = new ScaledCrudDispatcher();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        work = Files.createTempDirectory("reloader-benchmark");
        progress.accept("logs of the measured JVMs in " + work + " (kept when the environment sets RELOADER_BENCHMARK_KEEP_LOGS)");
        kubeconfig = writeKubeconfig("kubeconfig", server.url("/"));
        driver = server.createClient(b -> b.withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url("/")).withUserAgent(DRIVER_AGENT).withRequestTimeout(60_000).build()));
        changes = new ChangeDriver(driver, population, references);
        try {
            controllerFlags = new ArrayList<>(settings.jvmFlags());
            if (settings.memoryLimitMib() > 0) {
                // What a container's memory limit does to the JVM's ergonomics (its "physical memory"), without
                // a container: heap percentages are taken of this.
                controllerFlags.add("-XX:MaxRAM=" + settings.memoryLimitMib() + "m");
            }
            controllerFlags.add("-XX:SharedArchiveFile=" + classDataArchive());
            results.put("jvmFlags", String.join(" ", controllerFlags));
            results.put("memoryLimitMib", settings.memoryLimitMib());
            results.put("command", String.valueOf(System.getProperty("sun.java.command")));
            // The benchmark JVM's own flags as launched (its heap holds the population), for the report's command.
            results.put("benchmarkJvmFlags", String.join(" ",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
            results.put("populationName", population.name());
            if (population.rssSteadyGoalMib() != null) {
                results.put("rssSteadyGoalMib", population.rssSteadyGoalMib());
            }
            Path image = settings.jar().resolveSibling("reloader-image.tar");
            if (Files.exists(image)) {
                results.put("imageBytes", Files.size(image));
            }
            // Before the population is loaded: this JVM is then small and idle, and takes no CPU from the start.
            results.put("emptyCluster", emptyCluster());
            long t0 = System.nanoTime();
            progress.accept("loading " + population + " into the API server's store");
            long bytes = new PopulationLoader(population, api, random).load(references);
            results.put("populationJsonBytes", bytes);
            results.put("populateSeconds", Measurements.seconds(System.nanoTime() - t0));

            progress.accept("the API server's own time to serve the lists read at start");
            results.put("servingFloor", ServingFloor.measure(server.url("/")));
            results.put("baseline", baselineInformers());
            results.put("controller", controller());
            results.put("bare", bareLoop());
            if (!settings.heapLimitsMib().isEmpty()) {
                results.put("smallestHeapMib", smallestHeap());
            }
            if (population.helmSecrets() > 0) {
                progress.accept("adding " + population.helmSecrets() + " Helm release Secrets of "
                        + population.helmSecretBytes() + " bytes");
                long helmBytes = new PopulationLoader(population, api, random).loadHelm();
                results.put("helmJsonBytes", helmBytes);
                results.put("servingFloorWithHelm", ServingFloor.measure(server.url("/")));
                results.put("controllerWithHelm", controllerWithHelm());
            }
            return results;
        } finally {
            driver.close();
            server.destroy();
            if (System.getenv("RELOADER_BENCHMARK_KEEP_LOGS") == null) {
                deleteRecursively(work);
            }
        }
    }

    static String ns(int i) {
        return "ns-" + i;
    }

    private Path writeKubeconfig(String name, String url) throws IOException {
        Path file = work.resolve(name);
        Files.writeString(file, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters:", "- name: benchmark", "  cluster:", "    server: " + url,
                "contexts:", "- name: benchmark", "  context:", "    cluster: benchmark", "    user: benchmark",
                "    namespace: default", "current-context: benchmark",
                "users:", "- name: benchmark", "  user:", "    token: benchmark", ""));
        return file;
    }

    /** Plain informers caching whole objects, in a JVM of their own. */
    private Map<String, Object> baselineInformers() throws Exception {
        progress.accept("baseline: plain informers caching full Secrets, ConfigMaps and Deployments");
        api.forgetRequests();
        try (ChildJvm jvm = ChildJvm.start(BASELINE_FLAGS, List.of("-cp", settings.toolsJar().toString(),
                BaselineProcess.class.getName(), server.url("/"), "informers"), Map.of(), work.resolve("baseline.log"))) {
            long ready = jvm.awaitLine(BaselineProcess.READY);
            Map<String, Object> r = startFigures(jvm, ready, BaselineProcess.INFORMERS_AGENT);
            r.putAll(gcFigures(jvm, r));
            Thread.sleep(5000);
            r.put("rssSteadyBytes", jvm.rss());
            r.put("heapAfterGcBytes", jvm.heapAfterFullGc());
            r.put("rssPeakBytes", jvm.peakRss());
            return r;
        }
    }

    private Map<String, Object> controller() throws Exception {
        progress.accept("controller: start, memory, requests per change, latency, bursts");
        api.forgetRequests();
        int port = freePort();
        try (ChildJvm jvm = startController(controllerFlags, port, "controller.log")) {
            long ready = jvm.awaitReady(http, port, TimeUnit.MINUTES.toNanos(10));
            String agent = controllerAgent();
            Map<String, Object> r = startFigures(jvm, ready, agent);
            r.putAll(gcFigures(jvm, r));
            r.put("heapAfterGcAtReadyBytes", jvm.heapAfterFullGc());
            r.put("quietPeriodMillis", settings.quietPeriodMillis());
            api.forgetRequests();

            // Latency and requests: one change at a time to a ConfigMap some workload references.
            List<Long> latencies = new ArrayList<>();
            List<String> names = new ArrayList<>(references.keySet());
            int count = Math.min(population.changes(), names.size());
            for (int i = 0; i < count; i++) {
                String workload = names.get(i);
                latencies.add(changes.changeAndWait(changes.namespaceOf(workload), references.get(workload).get(0),
                        workload, "bench", "v" + i));
            }
            Thread.sleep(2000); // let the Events of the last change arrive before counting
            ScaledCrudDispatcher.ClientRequests during = api.requestsOf(agent);
            Map<String, Long> verbs = new LinkedHashMap<>();
            during.byVerb.forEach((verb, n) -> verbs.put(verb, n.get()));
            r.put("changes", count);
            r.put("requestsByVerb", verbs);
            r.put("listsPerChange", verbs.getOrDefault("LIST", 0L) / (double) count);
            r.put("latencyMillis", Measurements.percentiles(latencies));
            r.putAll(bursts(names.subList(count, names.size()), agent));
            Thread.sleep(5000);
            r.put("rssSteadyBytes", jvm.rss());
            r.put("rssPeakBytes", jvm.peakRss());
            r.put("threads", jvm.threads());
            r.put("eventLoop", EventLoopDelays.scrape(http, port));
            // Steady state: every change handled, nothing in flight.
            r.put("heapAfterGcBytes", jvm.heapAfterFullGc());
            return r;
        }
    }

    /**
     * The default population plus the Helm release Secrets, the controller started the same way: launch → ready,
     * the share of it spent in collection pauses, resident memory, and a few changes that must all be applied.
     */
    private Map<String, Object> controllerWithHelm() throws Exception {
        progress.accept("controller with the Helm release Secrets");
        api.forgetRequests();
        int port = freePort();
        try (ChildJvm jvm = startController(controllerFlags, port, "controller-helm.log")) {
            long ready = jvm.awaitReady(http, port, TimeUnit.MINUTES.toNanos(10));
            Map<String, Object> r = startFigures(jvm, ready, controllerAgent());
            r.putAll(gcFigures(jvm, r));
            List<String> names = new ArrayList<>(references.keySet());
            int count = Math.min(10, names.size());
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String workload = names.get(names.size() / 2 + i % (names.size() / 2));
                latencies.add(changes.changeAndWait(changes.namespaceOf(workload), references.get(workload).get(0),
                        workload, "helm", "h" + i));
            }
            r.put("changes", count);
            r.put("changesApplied", latencies.size());
            r.put("latencyMillis", Measurements.percentiles(latencies));
            Thread.sleep(5000);
            r.put("rssSteadyBytes", jvm.rss());
            r.put("rssPeakBytes", jvm.peakRss());
            r.put("threads", jvm.threads());
            r.put("heapAfterGcBytes", jvm.heapAfterFullGc());
            return r;
        }
    }

    /** Collection pauses up to now (just after ready) and their share of launch → ready. */
    private static Map<String, Object> gcFigures(ChildJvm jvm, Map<String, Object> start) throws Exception {
        ChildJvm.Gc gc = jvm.gc();
        Map<String, Object> r = new LinkedHashMap<>();
        double ready = ((Number) start.get("launchToReadySeconds")).doubleValue();
        r.put("gcSecondsAtReady", Math.round(gc.seconds() * 100) / 100.0);
        r.put("gcShareOfStartup", Math.round(gc.seconds() / Math.max(0.01, ready) * 1000) / 1000.0);
        r.put("collectionsAtReady", gc.collections());
        r.put("fullCollectionsAtReady", gc.fullCollections());
        return r;
    }

    /**
     * The application class-data archive, made as the README says: once, from a controller run against an API
     * server (here an empty one), stopped with SIGTERM once ready; the JVM writes the archive as it exits.
     */
    private Path classDataArchive() throws Exception {
        progress.accept("class-data archive from a controller run");
        Path jsa = work.resolve("reloader.jsa");
        KubernetesMockServer empty = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ScaledCrudDispatcher(), false);
        empty.init(InetAddress.getLoopbackAddress(), 0);
        try {
            Path config = writeKubeconfig("kubeconfig-training", empty.url("/"));
            int port = freePort();
            List<String> flags = new ArrayList<>(settings.jvmFlags());
            flags.add("-XX:ArchiveClassesAtExit=" + jsa);
            try (ChildJvm training = startController(flags, port, "controller-training.log", config)) {
                training.awaitReady(http, port, TimeUnit.MINUTES.toNanos(2));
                if (!training.terminate(120)) {
                    throw new IllegalStateException("the training run did not stop on SIGTERM: "
                            + training.outputTail());
                }
            }
        } finally {
            empty.destroy();
        }
        if (!Files.exists(jsa)) {
            throw new IllegalStateException("the controller run that makes the class-data archive wrote none");
        }
        return jsa;
    }

    /**
     * Launch → first request → ready against an API server that holds nothing, five times: start-up time varies
     * with what else the machine does, so the median is reported, with every run.
     */
    private Map<String, Object> emptyCluster() throws Exception {
        progress.accept("controller on an empty cluster, five starts");
        List<Double> firsts = new ArrayList<>();
        List<Double> readies = new ArrayList<>();
        List<Double> steady = new ArrayList<>();
        List<Double> peaks = new ArrayList<>();
        List<Double> threads = new ArrayList<>();
        List<Double> plainSynced = new ArrayList<>();
        List<Double> plainSteady = new ArrayList<>();
        List<Double> plainPeaks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ScaledCrudDispatcher emptyApi = new ScaledCrudDispatcher();
            KubernetesMockServer empty = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    emptyApi, false);
            empty.init(InetAddress.getLoopbackAddress(), 0);
            try {
                Path config = writeKubeconfig("kubeconfig-empty", empty.url("/"));
                int port = freePort();
                Thread.sleep(1000);
                try (ChildJvm jvm = startController(controllerFlags, port, "controller-empty.log", config)) {
                    long ready = jvm.awaitReady(http, port, TimeUnit.MINUTES.toNanos(2));
                    ScaledCrudDispatcher.ClientRequests first =
                            emptyApi.requestsOf(emptyApi.knownAgents().iterator().next());
                    firsts.add(Measurements.seconds(first.firstNanos - jvm.launchNanos()));
                    readies.add(Measurements.seconds(ready - jvm.launchNanos()));
                    Thread.sleep(3000);
                    steady.add((double) jvm.rss());
                    peaks.add((double) jvm.peakRss());
                    threads.add((double) jvm.threads());
                }
                Thread.sleep(1000);
                // The reference in the same run, against the same empty API server.
                try (ChildJvm plain = ChildJvm.start(PLAIN_INFORMER_FLAGS, List.of("-cp", settings.toolsJar().toString(),
                        BaselineProcess.class.getName(), empty.url("/"), "informers"), Map.of(),
                        work.resolve("plain-informers-empty.log"))) {
                    long synced = plain.awaitLine(BaselineProcess.READY);
                    plainSynced.add(Measurements.seconds(synced - plain.launchNanos()));
                    Thread.sleep(3000);
                    plainSteady.add((double) plain.rss());
                    plainPeaks.add((double) plain.peakRss());
                }
            } finally {
                empty.destroy();
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("launchToFirstRequestSeconds", median(firsts));
        r.put("launchToReadySeconds", median(readies));
        r.put("launchToReadySecondsEachRun", readies);
        r.put("rssSteadyBytes", Math.round(median(steady)));
        r.put("rssPeakBytes", Math.round(median(peaks)));
        r.put("threads", Math.round(median(threads)));
        r.put("plainInformerLaunchToSyncedSeconds", median(plainSynced));
        r.put("plainInformerLaunchToSyncedSecondsEachRun", plainSynced);
        r.put("plainInformerRssSteadyBytes", Math.round(median(plainSteady)));
        r.put("plainInformerRssPeakBytes", Math.round(median(plainPeaks)));
        r.put("plainInformerFlags", String.join(" ", PLAIN_INFORMER_FLAGS));
        r.put("runtime", "java -jar with the README's flags and class-data archive, median of 5");
        return r;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private ChildJvm startController(List<String> jvmFlags, int port, String log) throws IOException {
        return startController(jvmFlags, port, log, kubeconfig);
    }

    private ChildJvm startController(List<String> jvmFlags, int port, String log, Path config) throws IOException {
        List<String> args = new ArrayList<>(List.of("-jar", settings.jar().toString(), "--http-port=" + port));
        Map<String, String> env = new HashMap<>(JvmFlags.ENVIRONMENT);
        env.put("KUBECONFIG", config.toString());
        return ChildJvm.start(jvmFlags, args, env, work.resolve(log));
    }

    /** Bursts: every source of a workload changes within milliseconds; counts writes and the time to the write. */
    private Map<String, Object> bursts(List<String> candidates, String agent) throws Exception {
        List<String> multi = changes.burstWorkloads(candidates);
        api.forgetRequests();
        List<Long> latencies = changes.burst(multi);
        // Later writes would show up here: wait past the coalescing bound before counting.
        Thread.sleep(3000);
        ScaledCrudDispatcher.ClientRequests writes = api.requestsOf(agent);
        List<Long> perWorkload = multi.stream().map(w -> writes == null || !writes.patchesByName.containsKey(w) ? 0L
                : writes.patchesByName.get(w).get()).toList();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("burstWorkloads", multi.size());
        // Every workload write of the phase: the bursts' ConfigMaps are used by other workloads too.
        r.put("burstPhaseWrites", writes == null ? 0
                : writes.patchesByName.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum());
        r.put("burstLatencyMillis", Measurements.percentiles(latencies));
        r.put("maxWritesPerBurstWorkload", perWorkload.stream().mapToLong(Long::longValue).max().orElse(0));
        r.put("minWritesPerBurstWorkload", perWorkload.stream().mapToLong(Long::longValue).min().orElse(0));
        return r;
    }

    /** The bare watch→patch loop in a JVM of its own: the lower bound of latency. */
    private Map<String, Object> bareLoop() throws Exception {
        progress.accept("baseline: bare watch->patch loop");
        Map<String, String> workloadByCm = new LinkedHashMap<>();
        references.forEach((w, cms) -> workloadByCm.putIfAbsent(cms.get(0), w));
        Path mapping = work.resolve("bare-mapping.txt");
        StringBuilder lines = new StringBuilder();
        workloadByCm.forEach((cm, w) -> lines.append(cm).append(' ').append(w).append('\n'));
        Files.writeString(mapping, lines);
        try (ChildJvm jvm = ChildJvm.start(BASELINE_FLAGS, List.of("-cp", settings.toolsJar().toString(),
                        BaselineProcess.class.getName(), server.url("/"), "bare", mapping.toString()), Map.of(),
                work.resolve("bare.log"))) {
            jvm.awaitLine(BaselineProcess.READY);
            List<Long> latencies = new ArrayList<>();
            List<String> names = new ArrayList<>(references.keySet());
            int count = Math.min(population.changes(), names.size());
            for (int i = 0; i < count; i++) {
                String workload = names.get(i);
                String cm = references.get(workload).get(0);
                if (workload.equals(workloadByCm.get(cm))) {
                    latencies.add(changes.changeAndWait(changes.namespaceOf(workload), cm, workload, "bare", "b" + i));
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("latencyMillis", Measurements.percentiles(latencies));
            return r;
        }
    }

    /**
     * The smallest {@code -Xmx} among the candidates at which the controller syncs the whole population and applies
     * every one of a few changes; tried from the largest down, stopping at the first that fails.
     */
    private Map<String, Object> smallestHeap() throws Exception {
        Map<String, Object> tried = new LinkedHashMap<>();
        Integer smallest = null;
        List<Integer> candidates = settings.heapLimitsMib().stream().sorted((a, b) -> b - a).toList();
        List<String> names = new ArrayList<>(references.keySet());
        for (int mib : candidates) {
            progress.accept("controller with -Xmx" + mib + "m");
            List<String> flags = new ArrayList<>(controllerFlags);
            flags.removeIf(f -> f.startsWith("-Xmx") || f.startsWith("-XX:MaxRAMPercentage") || f.startsWith("-XX:MinRAMPercentage"));
            flags.add("-Xmx" + mib + "m");
            flags.add("-XX:+ExitOnOutOfMemoryError");
            int port = freePort();
            boolean ok;
            try (ChildJvm jvm = startController(flags, port, "controller-xmx" + mib + ".log")) {
                jvm.awaitReady(http, port, TimeUnit.MINUTES.toNanos(3));
                for (int i = 0; i < 5; i++) {
                    String workload = names.get(names.size() - 1 - i);
                    changes.changeAndWait(changes.namespaceOf(workload), references.get(workload).get(0), workload, "xmx",
                            mib + "-" + i);
                }
                ok = jvm.isAlive();
            } catch (IllegalStateException e) {
                ok = false;
            }
            tried.put(mib + "m", ok ? "synced, every change applied" : "failed");
            if (!ok) {
                break;
            }
            smallest = mib;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tried", tried);
        r.put("smallestMib", smallest == null ? -1 : smallest);
        return r;
    }

    /** Launch → first request and launch → ready, and resident memory at ready. */
    private Map<String, Object> startFigures(ChildJvm jvm, long readyNanos, String agent) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rssReadyBytes", jvm.rss());
        ScaledCrudDispatcher.ClientRequests requests = api.requestsOf(agent);
        r.put("launchToFirstRequestSeconds", requests == null ? -1
                : Measurements.seconds(requests.firstNanos - jvm.launchNanos()));
        r.put("launchToReadySeconds", Measurements.seconds(readyNanos - jvm.launchNanos()));
        return r;
    }

    /** The controller's user agent: the one client that is not the benchmark's own. */
    private String controllerAgent() {
        for (String agent : List.copyOf(api.knownAgents())) {
            if (!OWN_AGENTS.contains(agent)) {
                return agent;
            }
        }
        throw new IllegalStateException("the controller sent no request");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
