package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.config.Options;
import io.reloader.index.InformerWorkloadLookup;
import io.reloader.index.ListingWorkloadLookup;
import io.reloader.index.ReferenceIndex;
import io.reloader.index.WorkloadLookup;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.policy.AnnotationLint;
import io.reloader.policy.ReloadPolicy;
import io.reloader.policy.WorkloadView;
import io.reloader.queue.CoalescingQueue;
import io.reloader.report.KubernetesEventRecorder;
import io.reloader.report.ReloadReporter;
import io.reloader.report.ReloaderMetrics;
import io.reloader.strategy.ReloadPlanner;
import io.reloader.strategy.ReloadStrategy;
import io.reloader.watch.ChangeDetector;
import io.reloader.watch.NamespaceFilter;
import io.reloader.watch.SourceWatcher;
import io.reloader.write.RetryPolicy;
import io.reloader.write.WorkloadWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Wires the flow together: watch → detect → index lookup → coalescing queue → decide and plan → write → report.
 * One instance per run; {@link #start} blocks until the caches are synced.
 */
public final class ReloaderController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReloaderController.class);

    private final KubernetesClient client;
    private final Options options;
    private final ReloaderMetrics metrics;
    private final ReloadReporter reporter;
    private final AnnotationLint lint;
    private final CoalescingQueue<WorkloadKey, SourceChange, SourceRef> queue;
    private volatile WorkloadLookup lookup;
    private volatile WorkloadReconciler reconciler;
    private SourceWatcher sources;
    private volatile boolean ready;

    public ReloaderController(KubernetesClient client, Options options, ReloaderMetrics metrics) {
        this.client = client;
        this.options = options;
        this.metrics = metrics;
        this.reporter = new ReloadReporter(new KubernetesEventRecorder(client), metrics);
        this.lint = new AnnotationLint(options.keys());
        this.queue = new CoalescingQueue<>(options.coalesceWindow(), options.workers(), SourceChange::ref,
                this::reconcile, metrics);
    }

    /** Starts the watches and waits until every initial list is in. */
    public void start(Duration timeout) throws InterruptedException, TimeoutException {
        ReferenceIndex index = new ReferenceIndex(options.keys());
        InformerWorkloadLookup informers = new InformerWorkloadLookup(client, index, this::lintWorkload);
        try {
            informers.start(options.namespaces()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            lookup = informers;
        } catch (ExecutionException e) {
            informers.close();
            if (!(rootCause(e) instanceof KubernetesClientException kce) || kce.getCode() != 403) {
                throw new IllegalStateException("cannot watch workloads: " + rootCause(e).getMessage(), e);
            }
            LOG.warn("watching workloads is forbidden ({}); falling back to listing workloads on every change. "
                    + "Grant the 'watch' verb on deployments, daemonsets and statefulsets to avoid the extra load",
                    kce.getMessage());
            lookup = new ListingWorkloadLookup(client);
        }
        reconciler = reconciler();
        NamespaceFilter filter = options.globalMode()
                ? new NamespaceFilter(options.namespacesToIgnore(), options.namespaceSelector() != null)
                : NamespaceFilter.none();
        ChangeDetector detector = new ChangeDetector(options.keys(), filter, options.reloadOnCreate(),
                options.reloadOnDelete(), this::dispatch, metrics);
        sources = new SourceWatcher(client, options, detector, filter);
        try {
            sources.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot watch sources: " + rootCause(e).getMessage(), e);
        }
        ready = true;
    }

    private WorkloadReconciler reconciler() {
        ReloadPlanner planner = new ReloadPlanner(new ReloadPolicy(options.keys(), options.autoReloadAll()),
                ReloadStrategy.of(options.strategy()));
        return new WorkloadReconciler(lookup, planner, new WorkloadWriter(client, options.fieldManager()), reporter,
                RetryPolicy.defaults(), Clock.systemUTC());
    }

    private void reconcile(WorkloadKey key, List<SourceChange> changes) {
        reconciler.reconcile(key, changes);
    }

    private void dispatch(SourceChange change) {
        Collection<WorkloadKey> candidates = lookup.candidates(change.ref());
        if (candidates.isEmpty()) {
            reporter.notFollowed(change);
            metrics.reconcile("skipped");
            return;
        }
        for (WorkloadKey key : candidates) {
            if (queue.offer(key, change)) {
                metrics.coalesced();
            }
        }
    }

    private void lintWorkload(HasMetadata workload) {
        WorkloadView view = WorkloadView.of(workload);
        reporter.annotationProblems(workload, view.key(), lint.lint(view));
    }

    public boolean isReady() {
        return ready;
    }

    /** True when no change is pending or being written; for tests and the demo. */
    public boolean isIdle() {
        return queue.idle();
    }

    @Override
    public void close() {
        ready = false;
        if (sources != null) {
            sources.close();
        }
        queue.close(Duration.ofSeconds(5));
        if (lookup != null) {
            lookup.close();
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
