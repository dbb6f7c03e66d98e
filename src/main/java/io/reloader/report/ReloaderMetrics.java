package io.reloader.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reloader.queue.QueueListener;
import io.reloader.watch.IntakeListener;

import java.util.concurrent.atomic.AtomicInteger;

/** Reloader's metric families (spec §9.2) on a Prometheus registry, plus JVM metrics. */
public final class ReloaderMetrics implements IntakeListener, QueueListener, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public ReloaderMetrics() {
        // Both label values exist from the start, as in Reloader, so rate() works before the first failure.
        reloadExecuted(true, 0);
        reloadExecuted(false, 0);
        for (String reason : new String[] {"no_data_change", "strategy_not_updated", "ignored_or_not_selected"}) {
            Counter.builder("reloader.skipped").tag("reason", reason).register(registry);
        }
        Gauge.builder("reloader.workqueue.depth", queueDepth, AtomicInteger::get).register(registry);
        Counter.builder("reloader.workqueue.adds").register(registry);
        Counter.builder("reloader.retries").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public String scrape() {
        return registry.scrape();
    }

    public void reloadExecuted(boolean success, double amount) {
        Counter.builder("reloader.reload.executed").tag("success", Boolean.toString(success))
                .register(registry).increment(amount);
    }

    public void reloadExecuted(boolean success) {
        reloadExecuted(success, 1);
    }

    public void action(String kind, boolean success) {
        Counter.builder("reloader.action").tag("workload_kind", kind).tag("result", success ? "success" : "error")
                .register(registry).increment();
    }

    public void reconcile(String result) {
        Counter.builder("reloader.reconcile").tag("result", result).register(registry).increment();
    }

    public void scanned(String kind) {
        Counter.builder("reloader.workloads.scanned").tag("kind", kind).register(registry).increment();
    }

    public void matched(String kind) {
        Counter.builder("reloader.workloads.matched").tag("kind", kind).register(registry).increment();
    }

    public void retry() {
        registry.counter("reloader.retries").increment();
    }

    public void error(String type) {
        Counter.builder("reloader.errors").tag("type", type).register(registry).increment();
    }

    /** Project extension (spec I2): changes merged into another pending write. */
    public void coalesced() {
        registry.counter("reloader.coalesced").increment();
    }

    /** Project extension: alerts sent and failed. */
    public void alert(boolean success) {
        Counter.builder("reloader.alerts.sent").tag("success", Boolean.toString(success)).register(registry).increment();
    }

    /** Project extension: workload annotations found invalid or ineffective. */
    public void annotationProblem(String kind) {
        Counter.builder("reloader.annotation.problems").tag("workload_kind", kind).register(registry).increment();
    }

    @Override
    public void received(String eventType, String resource) {
        Counter.builder("reloader.events.received").tag("event_type", eventType).tag("resource_type", resource)
                .register(registry).increment();
    }

    @Override
    public void skipped(String reason) {
        Counter.builder("reloader.skipped").tag("reason", reason).register(registry).increment();
    }

    @Override
    public void added(int depth) {
        queueDepth.set(depth);
        registry.counter("reloader.workqueue.adds").increment();
    }

    @Override
    public void dequeued(int depth, long waitedNanos) {
        queueDepth.set(depth);
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
