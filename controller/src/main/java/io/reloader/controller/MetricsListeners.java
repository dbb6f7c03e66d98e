package io.reloader.controller;

import io.reloader.queue.QueueListener;
import io.reloader.report.ReloaderMetrics;
import io.reloader.watch.IntakeListener;

/** Connects the intake and the queue to the metrics, so neither stage depends on reporting nor it on them. */
final class MetricsListeners implements IntakeListener, QueueListener {
    private final ReloaderMetrics metrics;

    MetricsListeners(ReloaderMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void received(String eventType, String resource) {
        metrics.received(eventType, resource);
    }

    @Override
    public void skipped(String reason) {
        metrics.skipped(reason);
    }

    @Override
    public void processed(String resource, boolean queued) {
        metrics.processed(resource, queued);
    }

    @Override
    public void added(int depth) {
        metrics.added(depth);
    }

    @Override
    public void dequeued(int depth, long waitedNanos) {
        metrics.dequeued(depth, waitedNanos);
    }
}
