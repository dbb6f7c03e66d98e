package io.reloader.bench;

import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns benchmark results into docs/benchmarks.md (with machine facts and the targets) and a JSON file. */
public final class BenchmarkReport {
    static final String SCALE_NOTE = "This run used a smaller population than the default (20,000 Secrets, "
            + "15,000 ConfigMaps, 5,000 workloads). The in-process API server (fabric8's mock in CRUD mode) serves "
            + "every request on one event loop and scans all objects per request: at a quarter of the default it "
            + "blocked its event loop for over 30 s while streaming list responses and watch events, which distorted "
            + "the memory and start-up figures of whichever side was running. The population above is one it serves "
            + "without blocking. The heap ratio does not depend on scale (the controller keeps a hash per source; the "
            + "baseline keeps the data), start-up time does, mostly on the API server.";

    private BenchmarkReport() {
    }

    /** One target of issue 6, checked against the numbers. */
    public record Target(String name, String goal, String measured, boolean met) {
    }

    @SuppressWarnings("unchecked")
    public static List<Target> targets(Map<String, Object> r) {
        List<Target> t = new ArrayList<>();
        double heapRatio = num(r, "controllerHeapBytes") / Math.max(1, num(r, "baselineHeapBytes"));
        t.add(new Target("Heap vs full-object informers", "<= 0.15x", String.format("%.3fx", heapRatio),
                heapRatio <= 0.15));
        double lists = num(r, "listsPerChange");
        t.add(new Target("LIST calls per change", "0", String.format("%.2f", lists), lists == 0));
        double maxWrites = num(r, "maxWritesPerBurstWorkload");
        double minWrites = num(r, "minWritesPerBurstWorkload");
        t.add(new Target("Writes per workload per burst (2-3 sources changed)", "exactly 1",
                String.format("min %.0f, max %.0f", minWrites, maxWrites), maxWrites == 1 && minWrites == 1));
        Map<String, Number> lat = (Map<String, Number>) r.get("latencyMillis");
        Map<String, Number> bare = (Map<String, Number>) r.get("bareLatencyMillis");
        double window = num(r, "coalesceWindowSeconds") * 1000;
        double p99 = lat.get("p99").doubleValue();
        double bound = 1.5 * bare.get("p99").doubleValue() + window;
        t.add(new Target("Latency p99", String.format("<= 1.5 x bare p99 + window = %.0f ms", bound),
                String.format("%.0f ms", p99), p99 <= bound));
        double ready = num(r, "startToReadySeconds");
        t.add(new Target("Start to ready", "<= 10 s", String.format("%.2f s", ready), ready <= 10));
        return t;
    }

    public static void write(Path dir, Population population, Map<String, Object> results) throws IOException {
        Files.createDirectories(dir);
        List<Target> targets = targets(results);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", Instant.now().toString());
        json.put("machine", machine());
        json.put("population", population);
        json.put("results", results);
        json.put("targets", targets);
        Files.writeString(dir.resolve("benchmarks.json"), Serialization.asJson(json) + "\n");
        Files.writeString(dir.resolve("benchmarks.md"), markdown(population, results, targets));
    }

    @SuppressWarnings("unchecked")
    public static String markdown(Population p, Map<String, Object> r, List<Target> targets) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark\n\n");
        md.append("Produced by `java -jar target/reloader.jar benchmark` (see the README) on ").append(Instant.now())
                .append(". Every number below comes from that one run.\n\n");
        md.append("## Machine\n\n| fact | value |\n|---|---|\n");
        machine().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n## Population\n\n");
        md.append(String.format("%,d Secrets of %,d bytes, %,d ConfigMaps of %,d bytes, %,d Deployments over %d "
                        + "namespaces, each referencing 1 to 3 ConfigMaps; %d single changes, %d bursts.%n%n",
                p.secrets(), p.secretBytes(), p.configMaps(), p.configMapBytes(), p.workloads(), p.namespaces(),
                p.changes(), p.bursts()));
        md.append("## Targets\n\n| target | goal | measured | met |\n|---|---|---|---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.name()).append(" | ").append(t.goal()).append(" | ").append(t.measured())
                    .append(" | ").append(t.met() ? "yes" : "**no**").append(" |\n");
        }
        md.append("\n## Measurements\n\n| measurement | reloader-java | baseline |\n|---|---|---|\n");
        md.append(String.format("| heap after full GC, caches | %s | %s (plain informers, full objects) |%n",
                mib(num(r, "controllerHeapBytes")), mib(num(r, "baselineHeapBytes"))));
        md.append(String.format("| process RSS (controller + in-process API server + data) | %s | |%n",
                mib(num(r, "processRssBytes"))));
        Map<String, Number> lat = (Map<String, Number>) r.get("latencyMillis");
        Map<String, Number> bare = (Map<String, Number>) r.get("bareLatencyMillis");
        md.append(String.format("| source update to workload change, p50 / p95 / p99 | %s / %s / %s ms "
                        + "(coalescing window %.1f s) | %s / %s / %s ms (bare watch->patch loop) |%n",
                lat.get("p50"), lat.get("p95"), lat.get("p99"), num(r, "coalesceWindowSeconds"), bare.get("p50"),
                bare.get("p95"), bare.get("p99")));
        md.append(String.format("| controller API requests during %d changes, by verb | %s | |%n",
                ((Number) r.get("changes")).intValue(), r.get("controllerRequestsByVerb")));
        md.append(String.format("| start to ready | %.2f s | |%n", num(r, "startToReadySeconds")));
        md.append(String.format("| writes per workload when 2-3 of its sources change in one burst | min %.0f, max "
                        + "%.0f over %d workloads | Reloader: one per source |%n", num(r, "minWritesPerBurstWorkload"),
                num(r, "maxWritesPerBurstWorkload"), ((Number) r.get("burstWorkloads")).intValue()));
        md.append("\nMemory is the growth of the used heap after a full GC while the caches are loaded, so the ")
                .append("in-process API server's own copy of the data is not counted on either side. Latency is ")
                .append("seen by a client polling the workload, the same way for both. Requests are counted at the ")
                .append("API server and attributed by user agent.\n");
        if (!p.equals(Population.defaults())) {
            md.append("\n").append(SCALE_NOTE).append("\n");
        }
        return md.toString();
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max heap", mib(Runtime.getRuntime().maxMemory()));
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        try {
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
            m.put("memory", mem.replace("MemTotal: ", ""));
        } catch (IOException | RuntimeException e) {
            m.put("memory", "unknown");
        }
        return m;
    }

    private static double num(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    private static String mib(double bytes) {
        return String.format("%.1f MiB", bytes / 1024 / 1024);
    }
}
