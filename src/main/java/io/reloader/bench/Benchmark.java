package io.reloader.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.reloader.config.Options;
import io.reloader.controller.ReloaderController;
import io.reloader.report.ReloaderMetrics;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the controller and two baselines against an in-process API server holding a generated population, and
 * measures memory, API requests per change, latency, start-up time and rollouts per burst. Every number comes
 * from this run; {@link BenchmarkReport} writes them down.
 */
public final class Benchmark {
    private static final String CONTROLLER_AGENT = "reloader-java-benchmark";

    private final Population population;
    private final Consumer<String> progress;
    private final Random random = new Random(42);
    private KubernetesMockServer server;
    private KubernetesClient driver;
    private ServerRequests requests;
    /** workload name → the ConfigMaps it references (namespace-local names). */
    private final Map<String, List<String>> references = new LinkedHashMap<>();

    private final Options options;

    /** @param options the controller's options (the caller parses flags: the benchmark sits above the CLI's code) */
    public Benchmark(Population population, Options options, Consumer<String> progress) {
        this.population = population;
        this.options = options;
        this.progress = progress;
    }

    public Map<String, Object> run() throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        Map<String, Object> results = new LinkedHashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        driver = client("benchmark-driver");
        requests = new ServerRequests(server);
        try {
            long t0 = System.nanoTime();
            populate();
            results.put("populateSeconds", Measurements.seconds(System.nanoTime() - t0));
            requests.drain();

            long idle = Measurements.usedHeapAfterGc();
            results.put("baselineHeapBytes", baselineInformersHeap() - idle);
            idle = Measurements.usedHeapAfterGc();
            Map<String, Object> controller = controllerRun(idle);
            results.putAll(controller);
            results.put("bareLatencyMillis", bareLoopLatency());
            return results;
        } finally {
            driver.close();
            server.destroy();
        }
    }

    private KubernetesClient client(String agent) {
        return server.createClient(b -> b.withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/"))
                .withUserAgent(agent).withRequestTimeout(60_000).withRequestRetryBackoffLimit(0).build()));
    }

    /** Workload i lives in namespace i modulo the namespace count. */
    private String namespaceOf(String workload) {
        return ns(Integer.parseInt(workload.substring("workload-".length())) % population.namespaces());
    }

    static String ns(int i) {
        return "ns-" + i;
    }

    private void populate() throws InterruptedException {
        progress.accept("populating " + population);
        new PopulationLoader(population, driver, random).load(references);
    }

    /** Plain fabric8 informers caching full objects: what Reloader's memory grows with. */
    private long baselineInformersHeap() throws Exception {
        progress.accept("baseline: plain informers caching full Secrets and ConfigMaps");
        try (KubernetesClient c = client("baseline-informers")) {
            SharedIndexInformer<Secret> secrets = c.secrets().inAnyNamespace().withLimit(500L).inform();
            SharedIndexInformer<ConfigMap> cms = c.configMaps().inAnyNamespace().withLimit(500L).inform();
            SharedIndexInformer<Deployment> deployments = c.apps().deployments().inAnyNamespace().withLimit(500L).inform();
            long heap = Measurements.usedHeapAfterGc();
            if (secrets.getStore().list().size() != population.secrets()) {
                throw new IllegalStateException("baseline informer did not sync");
            }
            secrets.close();
            cms.close();
            deployments.close();
            return heap;
        }
    }

    private Map<String, Object> controllerRun(long idleHeap) throws Exception {
        progress.accept("controller: start, memory, requests per change, latency, bursts");
        Map<String, Object> r = new LinkedHashMap<>();
        try (KubernetesClient c = client(CONTROLLER_AGENT); ReloaderMetrics metrics = new ReloaderMetrics();
             ReloaderController controller = new ReloaderController(c, options, metrics, Map.of())) {
            long start = System.nanoTime();
            controller.start(Duration.ofMinutes(10));
            r.put("startToReadySeconds", Measurements.seconds(System.nanoTime() - start));
            r.put("controllerHeapBytes", Measurements.usedHeapAfterGc() - idleHeap);
            r.put("processRssBytes", Measurements.rss());
            r.put("coalesceWindowSeconds", options.timing().coalesceWindow().toMillis() / 1000.0);
            requests.drain();

            // Latency and requests: one change at a time to a ConfigMap some workload references.
            List<Long> latencies = new ArrayList<>();
            List<String> names = new ArrayList<>(references.keySet());
            int changes = Math.min(population.changes(), names.size());
            for (int i = 0; i < changes; i++) {
                String workload = names.get(i);
                String ns = namespaceOf(workload);
                String cm = references.get(workload).get(0);
                latencies.add(changeAndWait(ns, cm, workload, "bench", "v" + i));
            }
            waitIdle(controller);
            Map<String, Long> verbs = requests.byVerb(CONTROLLER_AGENT);
            r.put("changes", changes);
            r.put("controllerRequestsByVerb", verbs);
            r.put("listsPerChange", verbs.getOrDefault("LIST", 0L) / (double) changes);
            r.put("latencyMillis", Measurements.percentiles(latencies));

            // Bursts: change every source of a workload within the window; count writes per workload.
            Map<String, Integer> writes = new LinkedHashMap<>();
            List<String> multi = burstWorkloads(names.subList(changes, names.size()));
            requests.drain();
            for (String workload : multi) {
                String ns = namespaceOf(workload);
                for (String cm : references.get(workload).stream().distinct().toList()) {
                    driver.configMaps().inNamespace(ns).withName(cm).edit(x -> new ConfigMapBuilder(x)
                            .addToData("burst", workload).build());
                }
            }
            Thread.sleep(options.timing().coalesceWindow().toMillis() + 500);
            waitIdle(controller);
            for (RecordedRequest req : requests.take()) {
                if (CONTROLLER_AGENT.equals(req.getHeader("User-Agent")) && req.getMethod().equals("PATCH")) {
                    String name = req.getPath().split("\\?")[0].replaceAll(".*/deployments/", "");
                    writes.merge(name, 1, Integer::sum);
                }
            }
            // A workload may share a ConfigMap with another burst workload; count only the burst ones.
            List<Integer> perWorkload = multi.stream().map(w -> writes.getOrDefault(w, 0)).toList();
            r.put("burstWorkloads", multi.size());
            r.put("maxWritesPerBurstWorkload", perWorkload.stream().mapToInt(Integer::intValue).max().orElse(0));
            r.put("minWritesPerBurstWorkload", perWorkload.stream().mapToInt(Integer::intValue).min().orElse(0));
        }
        return r;
    }

    /** Workloads with 2 or more sources that share no source with each other, so each burst is its own. */
    private List<String> burstWorkloads(List<String> candidates) {
        java.util.Set<String> used = new java.util.HashSet<>();
        List<String> out = new ArrayList<>();
        for (String w : candidates) {
            String ns = namespaceOf(w);
            List<String> cms = references.get(w).stream().distinct().map(cm -> ns + "/" + cm).toList();
            if (cms.size() >= 2 && cms.stream().noneMatch(used::contains)) {
                used.addAll(cms);
                out.add(w);
                if (out.size() == population.bursts()) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Sets {@code key} in a ConfigMap and returns the milliseconds until a client polling the workload sees its
     * template change; the same measurement for the controller and the bare loop.
     */
    private long changeAndWait(String ns, String cm, String workload, String key, String value)
            throws InterruptedException {
        String before = template(ns, workload);
        long start = System.nanoTime();
        driver.configMaps().inNamespace(ns).withName(cm)
                .edit(x -> new ConfigMapBuilder(x).addToData(key, value).build());
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        while (template(ns, workload).equals(before)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no reload of " + workload + " within 60 s");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private String template(String ns, String workload) {
        return String.valueOf(driver.apps().deployments().inNamespace(ns).withName(workload).get().getSpec()
                .getTemplate());
    }

    /** The lower bound: a bare watch→patch loop that knows the answer and does nothing else. */
    private Map<String, Long> bareLoopLatency() throws Exception {
        progress.accept("baseline: bare watch->patch loop");
        Map<String, String> workloadByCm = new ConcurrentHashMap<>();
        references.forEach((w, cms) -> workloadByCm.putIfAbsent(cms.get(0), w));
        try (KubernetesClient c = client("bare-loop")) {
            PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
            SharedIndexInformer<ConfigMap> informer = c.configMaps().inAnyNamespace().withLimit(500L)
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(ConfigMap obj) {
                        }

                        @Override
                        public void onUpdate(ConfigMap o, ConfigMap n) {
                            String w = workloadByCm.get(n.getMetadata().getName());
                            if (w != null && n.getData().containsKey("bare")) {
                                c.apps().deployments().inNamespace(n.getMetadata().getNamespace()).withName(w)
                                        .patch(merge, "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                                                + "{\"bare\":\"" + n.getData().get("bare") + "\"}}}}}");
                            }
                        }

                        @Override
                        public void onDelete(ConfigMap obj, boolean unknown) {
                        }
                    });
            List<Long> latencies = new ArrayList<>();
            List<String> names = new ArrayList<>(references.keySet());
            int changes = Math.min(population.changes(), names.size());
            for (int i = 0; i < changes; i++) {
                String workload = names.get(i);
                String ns = namespaceOf(workload);
                String cm = references.get(workload).get(0);
                if (!workload.equals(workloadByCm.get(cm))) {
                    continue;
                }
                latencies.add(changeAndWait(ns, cm, workload, "bare", "b" + i));
            }
            informer.close();
            return Measurements.percentiles(latencies);
        }
    }

    private static void waitIdle(ReloaderController controller) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!controller.isIdle() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

}
