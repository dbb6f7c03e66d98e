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
    private static final double MIB = 1024 * 1024;

    private BenchmarkReport() {
    }

    /** One target of the performance issue, checked against the numbers. */
    public record Target(String name, String goal, String measured, boolean met) {
    }

    public static List<Target> targets(Map<String, Object> r) {
        Map<String, Object> c = section(r, "controller");
        Map<String, Object> base = section(r, "baseline");
        Map<String, Object> bare = section(r, "bare");
        List<Target> t = new ArrayList<>();
        double heapRatio = num(c, "heapAfterGcBytes") / Math.max(1, num(base, "heapAfterGcBytes"));
        t.add(new Target("Live heap vs full-object informers", "<= 0.08x", String.format("%.3fx", heapRatio),
                heapRatio <= 0.08));
        double steady = num(c, "rssSteadyBytes") / MIB;
        t.add(new Target("RSS steady", "<= 256 MiB", String.format("%.0f MiB", steady), steady > 0 && steady <= 256));
        double peak = num(c, "rssPeakBytes") / MIB;
        t.add(new Target("RSS peak", "<= 384 MiB", String.format("%.0f MiB", peak), peak > 0 && peak <= 384));
        if (r.containsKey("smallestHeapMib")) {
            double xmx = num(section(r, "smallestHeapMib"), "smallestMib");
            t.add(new Target("Smallest -Xmx that syncs and applies every change", "<= 128 MiB",
                    xmx < 0 ? "none of those tried" : String.format("%.0f MiB", xmx), xmx > 0 && xmx <= 128));
        }
        double ready = num(c, "launchToReadySeconds");
        t.add(new Target("Launch to ready", "<= 8 s", String.format("%.2f s", ready), ready <= 8));
        double first = num(c, "launchToFirstRequestSeconds");
        t.add(new Target("Launch to first API request", "<= 1 s", String.format("%.2f s", first),
                first >= 0 && first <= 1));
        if (r.containsKey("emptyCluster")) {
            double empty = num(section(r, "emptyCluster"), "launchToReadySeconds");
            t.add(new Target("Launch to ready, empty cluster (" + section(r, "emptyCluster").get("runtime") + ")",
                    "<= 1 s", String.format("%.2f s", empty), empty <= 1));
        }
        Map<String, Object> loop = section(c, "eventLoop");
        double stalls = num(loop, "stallsOver100ms");
        t.add(new Target("Event-loop stalls over 100 ms", "0", String.format("%.0f (longest %.0f ms)", stalls,
                num(loop, "maxDelayMillis")), num(loop, "probes") > 0 && stalls == 0));
        double p99 = num(section(c, "latencyMillis"), "p99");
        double quiet = num(c, "quietPeriodMillis");
        double bound = num(section(bare, "latencyMillis"), "p99") + quiet + 100;
        t.add(new Target("Single-change latency p99", String.format("<= bare p99 + quiet period + 100 ms = %.0f ms",
                bound), String.format("%.0f ms", p99), p99 > 0 && p99 <= bound));
        double maxWrites = num(c, "maxWritesPerBurstWorkload");
        double minWrites = num(c, "minWritesPerBurstWorkload");
        t.add(new Target("Writes per workload per burst (2-3 sources changed)", "exactly 1",
                String.format("min %.0f, max %.0f", minWrites, maxWrites), maxWrites == 1 && minWrites == 1));
        double lists = num(c, "listsPerChange");
        t.add(new Target("LIST calls per change", "0", String.format("%.2f", lists), lists == 0));
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

    public static String markdown(Population p, Map<String, Object> r, List<Target> targets) {
        Map<String, Object> c = section(r, "controller");
        Map<String, Object> base = section(r, "baseline");
        Map<String, Object> bare = section(r, "bare");
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark\n\n");
        md.append("Produced by `java -Xmx8g -jar target/reloader-tools.jar benchmark` (see the README) on ")
                .append(Instant.now()).append(". Every number below comes from that one run.\n\n");
        md.append("## Machine\n\n| fact | value |\n|---|---|\n");
        machine().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n## Population\n\n");
        md.append(String.format("%,d Secrets of %,d bytes (each with kubectl's last-applied-configuration, which "
                        + "repeats the data), %,d ConfigMaps of %,d bytes, %,d Deployments over %d namespaces, each "
                        + "referencing 1 to 3 ConfigMaps: %.0f MiB of JSON, loaded into the in-process API server's "
                        + "store in %.1f s. %d single changes, %d bursts.%n%n",
                p.secrets(), p.secretBytes(), p.configMaps(), p.configMapBytes(), p.workloads(), p.namespaces(),
                num(r, "populationJsonBytes") / MIB, num(r, "populateSeconds"), p.changes(), p.bursts()));
        md.append("Every measured program ran in a JVM of its own: the controller as the README and the image start it, ")
                .append("`java ").append(r.get("jvmFlags")).append(" -jar reloader.jar`; the baselines with the ")
                .append("JVM's defaults (with the controller's heap cap the full-object informers cannot hold the ")
                .append("population).\n\n");
        md.append("## Targets\n\n| target | goal | measured | met |\n|---|---|---|---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.name()).append(" | ").append(t.goal()).append(" | ").append(t.measured())
                    .append(" | ").append(t.met() ? "yes" : "**no**").append(" |\n");
        }
        md.append("\n## Measurements\n\n| measurement | reloader-java | full-object informers | bare watch->patch "
                + "loop |\n|---|---|---|---|\n");
        row(md, "live heap after a full GC, steady (at ready)", mib(num(c, "heapAfterGcBytes")) + " ("
                + mib(num(c, "heapAfterGcAtReadyBytes")) + ")", mib(num(base, "heapAfterGcBytes")), "");
        row(md, "RSS at ready / steady / peak", rss(c), rss(base), "");
        row(md, "launch -> first API request", secs(c, "launchToFirstRequestSeconds"),
                secs(base, "launchToFirstRequestSeconds"), "");
        row(md, "launch -> ready (caches synced)", secs(c, "launchToReadySeconds"), secs(base, "launchToReadySeconds"),
                "");
        if (r.containsKey("emptyCluster")) {
            Map<String, Object> e = section(r, "emptyCluster");
            row(md, "launch -> first request / ready, empty cluster (" + e.get("runtime") + ")",
                    secs(e, "launchToFirstRequestSeconds") + " / " + secs(e, "launchToReadySeconds"), "", "");
        }
        Map<String, Object> loop = section(c, "eventLoop");
        row(md, "event-loop delay: longest / probes over 100 ms", String.format("%.0f ms / %.0f of %.0f",
                num(loop, "maxDelayMillis"), num(loop, "stallsOver100ms"), num(loop, "probes")), "", "");
        row(md, "one source change -> workload write, p50 / p95 / p99", pct(section(c, "latencyMillis"))
                + String.format(" (quiet period %.0f ms)", num(c, "quietPeriodMillis")), "",
                pct(section(bare, "latencyMillis")));
        row(md, "burst (2-3 sources of a workload within ms) -> write, p50 / p95 / p99",
                pct(section(c, "burstLatencyMillis")) + String.format(" (%.0f workload writes in the phase, at most "
                        + "%s per second after a burst of %s: `--max-writes-per-second`, `--max-writes-burst`)",
                        num(c, "burstPhaseWrites"), "10", "100"), "", "");
        row(md, String.format("writes per workload per burst, over %.0f workloads", num(c, "burstWorkloads")),
                String.format("min %.0f, max %.0f", num(c, "minWritesPerBurstWorkload"),
                        num(c, "maxWritesPerBurstWorkload")), "", "Reloader: one per source");
        row(md, String.format("controller requests during %.0f single changes, by verb", num(c, "changes")),
                String.valueOf(c.get("requestsByVerb")), "", "");
        if (r.containsKey("smallestHeapMib")) {
            Map<String, Object> x = section(r, "smallestHeapMib");
            row(md, "-Xmx tried (largest first, stopping at the first failure)", String.valueOf(x.get("tried")), "",
                    "");
        }
        md.append("\nHow it is measured: the API server is fabric8's mock in CRUD mode, loaded in-process, with ")
                .append("an index for gets and patches, paginated lists (limit/continue over a snapshot) and ")
                .append("watches that start from the list instead of replaying every object. Resident memory ")
                .append("comes from /proc/<pid>/status (VmRSS; peak is VmHWM), live heap from `jcmd <pid> ")
                .append("GC.class_histogram` (a full GC, then the sum of what is left). Latency is seen by a ")
                .append("client polling the workload, the same way for the controller and the bare loop. ")
                .append("Requests are counted at the API server and attributed by user agent. Event-loop delay ")
                .append("is the controller's own probe (`reloader_event_loop_delay_seconds`): a task scheduled ")
                .append("every 100 ms on each of the HTTP client's event loops, and how late it ran.\n");
        if (!p.equals(Population.defaults())) {
            md.append("\nThis run used a smaller population than the default (20,000 Secrets, 15,000 ConfigMaps, ")
                    .append("5,000 workloads); the targets are set for the default.\n");
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, String controller, String baseline, String bare) {
        md.append("| ").append(name).append(" | ").append(controller).append(" | ").append(baseline).append(" | ")
                .append(bare).append(" |\n");
    }

    private static String rss(Map<String, Object> s) {
        return String.format("%.0f / %.0f / %.0f MiB", num(s, "rssReadyBytes") / MIB, num(s, "rssSteadyBytes") / MIB,
                num(s, "rssPeakBytes") / MIB);
    }

    private static String secs(Map<String, Object> s, String key) {
        return String.format("%.2f s", num(s, key));
    }

    private static String pct(Map<String, Object> p) {
        return String.format("%.0f / %.0f / %.0f ms", num(p, "p50"), num(p, "p95"), num(p, "p99"));
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
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

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static double num(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    private static String mib(double bytes) {
        return String.format("%.1f MiB", bytes / MIB);
    }
}
