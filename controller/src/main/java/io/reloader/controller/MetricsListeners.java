package io.reloader.controller;

import io.reloader.queue.QueueListener;
import io.reloader.report.ReloaderMetrics;
import io.reloader.report.WorkQueueMetrics;
import io.reloader.watch.IntakeListener;

/** Connects the intake and the queue to the metrics, so neither stage depends on reporting nor it on them. */
final class MetricsListeners implements IntakeListener, QueueListener {
    private final ReloaderMetrics metrics;
    private volatile WorkQueueMetrics workQueue;

    MetricsListeners(ReloaderMetrics metrics) {
        this.metrics = metrics;
    }

    /** controller-runtime's families, once the queue they read exists. */
    void workQueue(WorkQueueMetrics families) {
        this.workQueue = families;
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

    @Override
    public void enqueued() {
        WorkQueueMetrics w = workQueue;
        if (w != null) {
            w.added();
        }
    }

    @Override
    public void started(long queuedNanos) {
        WorkQueueMetrics w = workQueue;
        if (w != null) {
            w.queued(queuedNanos);
        }
    }

    @Override
    public void finished(long workNanos) {
        WorkQueueMetrics w = workQueue;
        if (w != null) {
            w.worked(workNanos);
        }
    }

    /** Reloader's {@code reloader_retries_total} and controller-runtime's {@code workqueue_retries_total}. */
    @Override
    public void retried() {
        metrics.retry();
        WorkQueueMetrics w = workQueue;
        if (w != null) {
            w.retried();
        }
    }
}
