package io.reloader.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Reloader's metric families (docs/compatibility.md#observability), same names, labels and buckets, on a Prometheus registry; plus the
 * {@code process_*} families Reloader's Go runtime exports and JVM metrics. Every event is counted once.
 */
public final class ReloaderMetrics implements AutoCloseable {
    private static final java.time.Duration[] EVENT_LOOP_BUCKETS = {java.time.Duration.ofMillis(10),
            java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1)};
    private static final Duration[] RECONCILE_BUCKETS = seconds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10);
    private static final Duration[] ACTION_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
    private static final Duration[] QUEUE_BUCKETS = seconds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5);
    private static final Duration[] ROLLOUT_BUCKETS = seconds(1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600);
    private static final Duration[] REST_BUCKETS = seconds(0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final AtomicInteger heldReloads = new AtomicInteger();
    private final AtomicInteger rolloutsStalled = new AtomicInteger();
    private final AtomicInteger workloadsStale = new AtomicInteger();
    private final AtomicInteger sourcesFlapping = new AtomicInteger();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final boolean byNamespace;
    /** {@code reloader_reload_executed_total_by_namespace}: rendered by hand, its name has no {@code _total} suffix. */
    private final Map<String, DoubleAdder> byNamespaceCounts = new ConcurrentHashMap<>();
    /** One set of workqueue_* families per queue name, kept across controllers (leader terms) on this registry. */
    private final Map<String, WorkQueueMetrics> workQueues = new ConcurrentHashMap<>();

    public ReloaderMetrics() {
        this(false);
    }

    /** @param byNamespace {@code METRICS_COUNT_BY_NAMESPACE=enabled} */
    public ReloaderMetrics(boolean byNamespace) {
        this.byNamespace = byNamespace;
        // Label values that exist from the start, as in Reloader, so rate() works before the first event.
        for (boolean success : new boolean[] {true, false}) {
            Counter.builder("reloader.reload.executed").tag("success", Boolean.toString(success)).register(registry);
        }
        for (String reason : new String[] {"no_data_change", "strategy_not_updated", "ignored_or_not_selected"}) {
            Counter.builder("reloader.skipped").tag("reason", reason).register(registry);
        }
        Gauge.builder("reloader.workqueue.depth", queueDepth, AtomicInteger::get).register(registry);
        Gauge.builder("reloader.reloads.held", heldReloads, AtomicInteger::get)
                .description("Workloads whose reload waits for its reload window").register(registry);
        Gauge.builder("reloader.sources.flapping", sourcesFlapping, AtomicInteger::get)
                .description("Sources held as flapping: their changes roll nothing until they settle").register(registry);
        Gauge.builder("reloader.rollouts.stalled", rolloutsStalled, AtomicInteger::get)
                .description("Followed rollouts that stalled and have not become Current since").register(registry);
        Gauge.builder("reloader.workloads.stale", workloadsStale, AtomicInteger::get)
                .description("Workloads whose followed rollout is not Current").register(registry);
        Counter.builder("reloader.workqueue.adds").register(registry);
        Counter.builder("reloader.retries").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("Total user and system CPU time spent in seconds").register(registry);
        }
        Gauge.builder("process.resident.memory", ReloaderMetrics::residentBytes).baseUnit("bytes")
                .description("Resident memory size in bytes").register(registry);
    }

    /** controller-runtime's {@code workqueue_*} families for the queue {@code name}, reading its gauges. */
    public WorkQueueMetrics workQueue(String name, java.util.function.DoubleSupplier depth,
                                      java.util.function.DoubleSupplier unfinishedSeconds,
                                      java.util.function.DoubleSupplier longestRunningSeconds) {
        WorkQueueMetrics families = workQueues.computeIfAbsent(name, n -> new WorkQueueMetrics(registry, n));
        families.bind(depth, unfinishedSeconds, longestRunningSeconds);
        return families;
    }

    public String scrape() {
        String text = registry.scrape();
        if (!byNamespace) {
            return text;
        }
        StringBuilder out = new StringBuilder(text);
        out.append("# HELP reloader_reload_executed_total_by_namespace Counter of reloads executed by Reloader by namespace.\n");
        out.append("# TYPE reloader_reload_executed_total_by_namespace counter\n");
        new TreeMap<>(byNamespaceCounts).forEach((labels, v) -> out.append("reloader_reload_executed_total_by_namespace")
                .append(labels).append(' ').append(v.sum()).append('\n'));
        return out.toString();
    }

    public void reloadExecuted(boolean success, String namespace) {
        Counter.builder("reloader.reload.executed").tag("success", Boolean.toString(success)).register(registry)
                .increment();
        if (byNamespace) {
            byNamespaceCounts.computeIfAbsent("{namespace=\"" + namespace + "\",success=\"" + success + "\"}",
                    k -> new DoubleAdder()).add(1);
        }
    }

    /** One workload write attempt and how long it took from the start of the attempt. */
    public void action(String kind, boolean success, long startNanos) {
        Counter.builder("reloader.action").tag("workload_kind", kind).tag("result", success ? "success" : "error")
                .register(registry).increment();
        Timer.builder("reloader.action.latency").tag("workload_kind", kind).serviceLevelObjectives(ACTION_BUCKETS)
                .register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** One handled batch (a workload and its changes): success, error or skipped, and its duration. */
    public void reconcile(String result, long startNanos) {
        Counter.builder("reloader.reconcile").tag("result", result).register(registry).increment();
        Timer.builder("reloader.reconcile.duration").tag("result", result).serviceLevelObjectives(RECONCILE_BUCKETS)
                .register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public void scanned(String kind) {
        Counter.builder("reloader.workloads.scanned").tag("kind", kind).register(registry).increment();
    }

    public void matched(String kind) {
        Counter.builder("reloader.workloads.matched").tag("kind", kind).register(registry).increment();
    }

    /** How late a task on one of the HTTP client's event loops ran (the loop was busy that long). */
    public void eventLoopDelay(long nanos) {
        Timer.builder("reloader.event.loop.delay").serviceLevelObjectives(EVENT_LOOP_BUCKETS)
                .distributionStatisticExpiry(java.time.Duration.ofMinutes(10)).distributionStatisticBufferLength(2)
                .description("How late a task scheduled on an HTTP client event loop ran").register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void retry() {
        registry.counter("reloader.retries").increment();
    }

    public void error(String type) {
        Counter.builder("reloader.errors").tag("type", type).register(registry).increment();
    }

    /** Project extension (docs/compatibility.md#one-rollout-per-burst): changes merged into another pending write. */
    public void coalesced() {
        registry.counter("reloader.coalesced").increment();
    }

    /** Project extension (docs/compatibility.md#revert-detection). */
    public void markerReverted(String kind) {
        Counter.builder("reloader.marker.reverted").tag("workload_kind", kind).register(registry).increment();
    }

    /** Project extension: API calls refused by RBAC (403), by resource. */
    public void forbidden(String resource) {
        Counter.builder("reloader.forbidden").tag("resource", resource).register(registry).increment();
    }

    /** Project extension: alerts sent and failed. */
    public void alert(boolean success) {
        Counter.builder("reloader.alerts.sent").tag("success", Boolean.toString(success)).register(registry).increment();
    }

    /**
     * Project extension: alerts and webhooks not sent because their bounded queue was full, by sink (slack, teams,
     * gchat, raw, webhook; never the URL).
     */
    public void notificationDropped(String sink) {
        Counter.builder("reloader.notifications.dropped").tag("sink", sink).register(registry).increment();
    }

    /** Project extension: pods evicted by the evict rollout strategy. */
    public void evicted(long pods) {
        registry.counter("reloader.pods.evicted").increment(pods);
    }

    /** Project extension: workloads whose reload is held for a reload window. */
    public void heldReloads(int count) {
        heldReloads.set(count);
    }

    /** Project extension: sources held as flapping ({@code --flap-window}). */
    public void sourcesFlapping(int count) {
        sourcesFlapping.set(count);
    }

    /** Project extension: how long a followed rollout took from the reload write to Current, by workload kind. */
    public void rolloutDuration(String kind, Duration took) {
        Timer.builder("reloader.rollout.duration").tag("kind", kind).serviceLevelObjectives(ROLLOUT_BUCKETS)
                .description("Time from a reload write until the workload's rollout was Current").register(registry)
                .record(took.isNegative() ? Duration.ZERO : took);
    }

    /** Project extension: followed rollouts now stalled, and workloads whose followed rollout is not Current. */
    public void rollouts(int stalled, int stale) {
        rolloutsStalled.set(stalled);
        workloadsStale.set(stale);
    }

    /** Project extension: Events not recorded because the bounded Event queue was full, by reason. */
    public void eventDropped(String reason) {
        Counter.builder("reloader.events.dropped").tag("reason", reason).register(registry).increment();
    }

    /** Project extension: workload annotations found invalid or ineffective. */
    public void annotationProblem(String kind) {
        Counter.builder("reloader.annotation.problems").tag("workload_kind", kind).register(registry).increment();
    }

    /** An API request this controller made (client-go's rest_client families). */
    public void restRequest(String method, String host, int code, long nanos) {
        Counter.builder("rest.client.requests").tag("code", code == 0 ? "<error>" : Integer.toString(code))
                .tag("method", method).tag("host", host).register(registry).increment();
        Timer.builder("rest.client.request.duration").tag("verb", method).tag("host", host)
                .serviceLevelObjectives(REST_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void received(String eventType, String resource) {
        Counter.builder("reloader.events.received").tag("event_type", eventType).tag("resource_type", resource)
                .register(registry).increment();
    }

    public void processed(String resource, boolean queued) {
        // Reloader always reports event_type="unknown"; kept for query compatibility (docs/compatibility.md#observability).
        Counter.builder("reloader.events.processed").tag("event_type", "unknown").tag("resource_type", resource)
                .tag("result", queued ? "success" : "dropped").register(registry).increment();
    }

    public void skipped(String reason) {
        Counter.builder("reloader.skipped").tag("reason", reason).register(registry).increment();
    }

    public void added(int depth) {
        queueDepth.set(depth);
        registry.counter("reloader.workqueue.adds").increment();
    }

    public void dequeued(int depth, long waitedNanos) {
        queueDepth.set(depth);
        Timer.builder("reloader.workqueue.latency").serviceLevelObjectives(QUEUE_BUCKETS).register(registry)
                .record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    private static double residentBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return d;
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
