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
        Map<String, Object> empty = section(r, "emptyCluster");
        Map<String, Object> helm = section(r, "controllerWithHelm");
        String population = String.valueOf(r.getOrDefault("populationName", "this population"));
        List<Target> t = new ArrayList<>();
        if (!empty.isEmpty()) {
            double steady = num(empty, "rssSteadyBytes") / MIB;
            t.add(new Target("RSS steady, empty cluster", "<= 80 MiB", String.format("%.0f MiB", steady),
                    steady > 0 && steady <= 80));
            t.add(peak("RSS peak, empty cluster", empty));
        }
        double steady = num(c, "rssSteadyBytes") / MIB;
        Double goal = r.get("rssSteadyGoalMib") instanceof Number n ? n.doubleValue() : null;
        t.add(new Target("RSS steady, " + population, goal == null ? "none set for this population"
                : String.format("<= %.0f MiB", goal), String.format("%.0f MiB", steady),
                goal != null && steady > 0 && steady <= goal));
        t.add(peak("RSS peak, " + population, c));
        if (!helm.isEmpty()) {
            double hs = num(helm, "rssSteadyBytes") / MIB;
            double hp = num(helm, "rssPeakBytes") / MIB;
            t.add(new Target("With the Helm release Secrets: RSS steady", "<= 192 MiB", String.format("%.0f MiB", hs),
                    hs > 0 && hs <= 192));
            t.add(new Target("With the Helm release Secrets: RSS peak", "<= 256 MiB", String.format("%.0f MiB", hp),
                    hp > 0 && hp <= 256));
            double share = num(helm, "gcShareOfStartup");
            t.add(new Target("With the Helm release Secrets: GC share of launch -> ready", "<= 10%",
                    String.format("%.1f%% (%.2f s in %.0f collections, %.0f full)", share * 100,
                            num(helm, "gcSecondsAtReady"), num(helm, "collectionsAtReady"),
                            num(helm, "fullCollectionsAtReady")), share <= 0.10));
            double ratio = num(helm, "launchToReadySeconds") / Math.max(0.01, num(c, "launchToReadySeconds"));
            t.add(new Target("With the Helm release Secrets: launch -> ready vs without them, same run", "<= 2x",
                    String.format("%.2fx (%.2f s / %.2f s)", ratio, num(helm, "launchToReadySeconds"),
                            num(c, "launchToReadySeconds")) + servingFloor(r, "servingFloorWithHelm"), ratio <= 2));
            double applied = num(helm, "changesApplied");
            t.add(new Target("With the Helm release Secrets: every change applied", "all",
                    String.format("%.0f of %.0f", applied, num(helm, "changes")),
                    applied > 0 && applied == num(helm, "changes")));
        }
        double readyRatio = num(c, "launchToReadySeconds") / Math.max(0.01, num(base, "launchToReadySeconds"));
        t.add(new Target("Launch -> ready vs full-object informers, same run, " + population, "<= 0.5x",
                String.format("%.2fx (%.2f s / %.2f s)", readyRatio, num(c, "launchToReadySeconds"),
                        num(base, "launchToReadySeconds")) + servingFloor(r, "servingFloor"), readyRatio <= 0.5));
        if (!empty.isEmpty()) {
            double ratio = num(empty, "launchToReadySeconds")
                    / Math.max(0.01, num(empty, "plainInformerLaunchToSyncedSeconds"));
            t.add(new Target("Launch -> ready, empty cluster, vs a plain fabric8 informer program's launch -> synced, "
                    + "same run (medians of 5)", "<= 0.5x", String.format("%.2fx (%.2f s / %.2f s)", ratio,
                    num(empty, "launchToReadySeconds"), num(empty, "plainInformerLaunchToSyncedSeconds")),
                    ratio <= 0.5));
        }
        if (r.get("imageBytes") instanceof Number image) {
            double mib = image.doubleValue() / MIB;
            t.add(new Target("Image size (target/reloader-image.tar)", "<= 60 MiB", String.format("%.1f MiB", mib),
                    mib <= 60));
        }
        double heapRatio = num(c, "heapAfterGcBytes") / Math.max(1, num(base, "heapAfterGcBytes"));
        t.add(new Target("Live heap vs full-object informers", "<= 0.08x", String.format("%.3fx", heapRatio),
                heapRatio <= 0.08));
        if (r.containsKey("smallestHeapMib")) {
            double xmx = num(section(r, "smallestHeapMib"), "smallestMib");
            t.add(new Target("Smallest -Xmx that syncs and applies every change", "<= 128 MiB",
                    xmx < 0 ? "none of those tried" : String.format("%.0f MiB", xmx), xmx > 0 && xmx <= 128));
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

    /** The API server's own time to serve the lists read at start, where the run measured it. */
    private static String servingFloor(Map<String, Object> r, String key) {
        Map<String, Object> floor = section(r, key);
        return floor.isEmpty() ? "" : String.format("; the API server alone took %.2f s to serve these lists",
                num(floor, "seconds"));
    }

    private static Target peak(String name, Map<String, Object> s) {
        double steady = num(s, "rssSteadyBytes");
        double ratio = num(s, "rssPeakBytes") / Math.max(1, steady);
        return new Target(name, "<= 1.25x steady", String.format("%.0f MiB, %.2fx", num(s, "rssPeakBytes") / MIB,
                ratio), steady > 0 && ratio <= 1.25);
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
        md.append("Produced by `java ").append(launchFlags(r)).append("-jar ").append(r.getOrDefault("command", "target/reloader-tools.jar benchmark"))
                .append("` (see the README) on ").append(Instant.now())
                .append(". Every number below comes from that one run.\n\n");
        md.append("## Machine\n\n| fact | value |\n|---|---|\n");
        machine().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n## Population\n\n");
        md.append(String.format("%,d Secrets of %,d bytes (each with kubectl's last-applied-configuration, which "
                        + "repeats the data), %,d ConfigMaps of %,d bytes, %,d Deployments over %d namespaces, each "
                        + "referencing 1 to 3 ConfigMaps: %.0f MiB of JSON, loaded into the in-process API server's "
                        + "store in %.1f s. %d single changes, %d bursts.%n%n",
                p.secrets(), p.secretBytes(), p.configMaps(), p.configMapBytes(), p.workloads(), p.namespaces(),
                num(r, "populationJsonBytes") / MIB, num(r, "populateSeconds"), p.changes(), p.bursts()));
        if (p.helmSecrets() > 0) {
            md.append(String.format("Then %,d Helm release Secrets (`type: helm.sh/release.v1`, as Helm's Secret driver "
                            + "writes them: Helm's labels, one key `release` of %,d bytes, no last-applied annotation, "
                            + "five revisions per release) are added to it: %.0f MiB more JSON, and the controller is "
                            + "started again.%n%n", p.helmSecrets(), p.helmSecretBytes(),
                    num(r, "helmJsonBytes") / MIB));
        }
        md.append("Every measured program ran in a JVM of its own: the controller as the README and the image start it, ")
                .append("`java ").append(r.get("jvmFlags")).append(" -jar reloader.jar`")
                .append(num(r, "memoryLimitMib") > 0 ? String.format(" (`-XX:MaxRAM=%.0fm` stands for a container "
                        + "memory limit of %.0f MiB: the JVM takes its heap percentages of it)",
                        num(r, "memoryLimitMib"), num(r, "memoryLimitMib")) : "")
                .append(" with `MALLOC_ARENA_MAX=2`; the full-object informers with the JVM's defaults (with the ")
                .append("controller's heap cap they cannot hold the population); the plain fabric8 informer program ")
                .append("on the empty cluster with `").append(section(r, "emptyCluster").get("plainInformerFlags"))
                .append("`.\n\n");
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
        for (String key : List.of("servingFloor", "servingFloorWithHelm")) {
            Map<String, Object> floor = section(r, key);
            if (!floor.isEmpty()) {
                row(md, "the API server alone serving every page of Secrets, ConfigMaps and Deployments at once "
                        + "(bodies read and dropped)" + (key.endsWith("WithHelm") ? ", with the Helm release Secrets" : ""),
                        String.format("%.2f s, %.0f MB %s", num(floor, "seconds"), num(floor, "bytes") / 1e6,
                                floor.get("secondsByList")), "", "");
            }
        }
        if (r.containsKey("emptyCluster")) {
            Map<String, Object> e = section(r, "emptyCluster");
            row(md, "launch -> first request / ready, empty cluster (" + e.get("runtime") + ")",
                    secs(e, "launchToFirstRequestSeconds") + " / " + secs(e, "launchToReadySeconds"), "", "");
        }
        row(md, "GC pauses at ready: time / share of launch -> ready / collections (full)", gc(c), gc(base), "");
        row(md, "threads, steady", String.format("%.0f", num(c, "threads")), "", "");
        if (r.containsKey("emptyCluster")) {
            Map<String, Object> e = section(r, "emptyCluster");
            row(md, "empty cluster: RSS steady / peak, threads (median of 5)", String.format("%.0f / %.0f MiB, %.0f",
                    num(e, "rssSteadyBytes") / MIB, num(e, "rssPeakBytes") / MIB, num(e, "threads")), "", "");
            row(md, "empty cluster: a plain fabric8 informer program (Secrets, ConfigMaps, Deployments), launch -> "
                    + "synced; RSS steady / peak (median of 5)", "", String.format("%.2f s; %.0f / %.0f MiB",
                    num(e, "plainInformerLaunchToSyncedSeconds"), num(e, "plainInformerRssSteadyBytes") / MIB,
                    num(e, "plainInformerRssPeakBytes") / MIB), "");
        }
        if (r.containsKey("controllerWithHelm")) {
            Map<String, Object> h = section(r, "controllerWithHelm");
            row(md, "with the Helm release Secrets: launch -> first request / ready", secs(h,
                    "launchToFirstRequestSeconds") + " / " + secs(h, "launchToReadySeconds"), "", "");
            row(md, "with the Helm release Secrets: RSS at ready / steady / peak", rss(h), "", "");
            row(md, "with the Helm release Secrets: GC pauses at ready", gc(h), "", "");
            row(md, "with the Helm release Secrets: live heap after a full GC, steady", mib(num(h, "heapAfterGcBytes")),
                    "", "");
            row(md, String.format("with the Helm release Secrets: %.0f changes, applied / p50 / p95 / p99",
                    num(h, "changes")), String.format("%.0f / ", num(h, "changesApplied"))
                    + pct(section(h, "latencyMillis")), "", "");
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
                .append("GC.class_histogram` (a full GC, then the sum of what is left), collection pauses from ")
                .append("the JVM's own counters (`jcmd <pid> PerfCounter.print`, read just after ready: the pauses' ")
                .append("share of launch -> ready). Latency is seen by a ")
                .append("client polling the workload, the same way for the controller and the bare loop. ")
                .append("Requests are counted at the API server and attributed by user agent. Event-loop delay ")
                .append("is the controller's own probe (`reloader_event_loop_delay_seconds`): a task scheduled ")
                .append("every 100 ms on each of the HTTP client's event loops, and how late it ran.\n");
        if (p.name().equals("this population")) {
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

    private static String gc(Map<String, Object> s) {
        if (!s.containsKey("gcSecondsAtReady")) {
            return "";
        }
        return String.format("%.2f s / %.1f%% / %.0f (%.0f)", num(s, "gcSecondsAtReady"),
                num(s, "gcShareOfStartup") * 100, num(s, "collectionsAtReady"), num(s, "fullCollectionsAtReady"));
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

    /** The benchmark JVM's flags as it was launched, each followed by a space; none when not recorded. */
    static String launchFlags(Map<String, Object> r) {
        Object flags = r.get("benchmarkJvmFlags");
        return flags == null || flags.toString().isBlank() ? "" : flags + " ";
    }
}
