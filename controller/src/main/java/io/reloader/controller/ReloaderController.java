package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.concurrent.KeyedLane;
import io.reloader.config.Options;
import io.reloader.config.TimingOptions;
import io.reloader.index.IndexedWorkloadCache;
import io.reloader.index.ListingWorkloadFinder;
import io.reloader.index.ReferenceIndex;
import io.reloader.index.WorkloadFinder;
import io.reloader.kube.CustomKinds;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.KeyScope;
import io.reloader.policy.TimingAnnotations;
import io.reloader.queue.CoalescingQueue;
import io.reloader.queue.QueueSettings;
import io.reloader.queue.Result;
import io.reloader.report.AggregatingEventRecorder;
import io.reloader.report.AlertSender;
import io.reloader.report.KubernetesEventRecorder;
import io.reloader.report.ReloadReporter;
import io.reloader.report.ReloaderMetrics;
import io.reloader.report.RolloutReporter;
import io.reloader.report.WebhookSender;
import io.reloader.spec.WorkloadView;
import io.reloader.watch.ChangeDetector;
import io.reloader.watch.NamespaceFilter;
import io.reloader.watch.SourceWatcher;
import io.reloader.workload.AdapterContext;
import io.reloader.workload.AdapterFactory;
import io.reloader.workload.AdapterRegistry;
import io.reloader.workload.CustomWorkloadAdapter;
import io.reloader.workload.DeploymentPauser;
import io.reloader.write.WorkloadApi;
import io.reloader.write.WorkloadWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Wires the flow together: watch → detect → index lookup → coalescing queue → decide and plan → act → report.
 * One instance per run; {@link #start} blocks until the caches are synced.
 */
public final class ReloaderController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReloaderController.class);
    /** As client-go's recorder: the same Event within this window counts up instead of creating another. */
    private static final Duration EVENT_WINDOW = Duration.ofMinutes(10);
    private static final int EVENT_QUEUE = 1000;
    /** A workload whose reload failed this many attempts in a row (and every as many after) gets a ReloadRetrying. */
    static final int RETRYING_EVENT_EVERY = 3;

    private final KubernetesClient client;
    private final Options options;
    private final ReloaderMetrics metrics;
    private final ReloadReporter reporter;
    private final CoalescingQueue<WorkloadKey, SourceChange, SourceRef> queue;
    private final WorkloadApi api;
    private final DeploymentPauser pauser;
    private final WebhookSender webhook;
    private final AlertSender alerts;
    private final OwnDeployment ownDeployment;
    private final TimingAnnotations timing;
    private final MetricsListeners listeners;
    private final AggregatingEventRecorder events;
    /** Holds the changes of flapping sources; null with {@code --flap-window=0}. */
    private final FlapGate flaps;
    /** Source changes are matched to workloads here, off the informer threads (the LIST fallback blocks). */
    private final KeyedLane<SourceRef> dispatchLane = new KeyedLane<>("reloader-dispatch");
    /** Completed by {@link #close}: ends a start-up that is still waiting for caches. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile WorkloadFinder lookup;
    private volatile ReloadReconciler reconciler;
    /** Follows the rollouts the writes start; null without workload informers (LIST fallback, webhook mode). */
    private volatile RolloutFollower follower;
    private final RolloutReporter rolloutReporter;
    private volatile SourceWatcher sources;
    private volatile ChangeDetector detector;
    private volatile boolean ready;
    private volatile WatchHealth watches = new WatchHealth(Duration.ofSeconds(10), Clock.systemUTC());
    /** The kinds watched: Reloader's (less the ignored ones) and the discovered custom kinds. */
    private Set<WorkloadKind> kinds = Set.of();
    private List<WorkloadKind> custom = List.of();
    /** What start-up reads workloads through: the cache, or, without one, each kind listed once. */
    private WorkloadFinder startView;
    /** Adapters of kinds beyond the built-ins (a test's); their kinds are always watched. */
    private List<AdapterFactory> extraAdapters = List.of();
    private ReconcilerAssembly assembly;

    public ReloaderController(KubernetesClient client, Options options, ReloaderMetrics metrics) {
        this(client, options, metrics, QueueSettings.defaults());
    }

    /** @param queueSettings the work queue's clock and backoff bounds (tests make time pass faster) */
    public ReloaderController(KubernetesClient client, Options options, ReloaderMetrics metrics,
                              QueueSettings queueSettings) {
        this.client = client;
        this.options = options;
        this.metrics = metrics;
        this.events = new AggregatingEventRecorder(new KubernetesEventRecorder(client), EVENT_WINDOW, EVENT_QUEUE,
                Clock.systemUTC(), metrics::eventDropped);
        this.reporter = new ReloadReporter(events, metrics);
        this.timing = new TimingAnnotations(options.timing());
        this.listeners = new MetricsListeners(metrics);
        this.queue = new CoalescingQueue<>(this::settle, options.rollout().workers(), SourceChange::ref,
                this::reconcile, listeners, this::retrying, queueSettings)
                // a burst keeps the state before its first change and its last change's state; the report names
                // every change merged into it
                .mergingWith(SourceChange::merge);
        listeners.workQueue(metrics.workQueue("reloader", queue::readyDepth, () -> queue.runningSeconds()[0],
                () -> queue.runningSeconds()[1]));
        this.api = new WorkloadWriter(client, options.fieldManager());
        this.pauser = new DeploymentPauser(api, options.keys(), Clock.systemUTC(), (key, error) ->
                reporter.resumeFailed(lookup == null ? null : lookup.get(key).orElse(null), key, error));
        pauser.wakeWith(queue::offerAfter);
        this.webhook = options.reload().webhookUrl().isEmpty() ? null : new WebhookSender(options.reload().webhookUrl(), metrics);
        this.alerts = AlertSender.create(options.alerts(), metrics);
        this.ownDeployment = new OwnDeployment(client, options.self());
        reporter.alerts(alerts);
        this.rolloutReporter = new RolloutReporter(events, metrics, () -> alerts);
        this.flaps = flapGate();
    }

    private FlapGate flapGate() {
        Duration window = options.timing().flapWindow();
        if (window.isZero()) {
            return null;
        }
        io.reloader.policy.ReloadPolicy policy = new io.reloader.policy.ReloadPolicy(options.keys(),
                options.reload().autoReloadAll(), options.reload().honorWaveAnnotations());
        return new FlapGate(window, Clock.systemUTC(), io.reloader.concurrent.Timers.daemon("reloader-flaps"),
                new io.reloader.report.FlapReporter(events, metrics), ref -> SourceObjects.involved(client, ref),
                change -> heldWorkloads(policy, change),
                change -> dispatchLane.submit(change.ref(), () -> route(change)));
    }

    /** The workloads a change of the source would reload, named for the Events about holding it. */
    private List<String> heldWorkloads(io.reloader.policy.ReloadPolicy policy, SourceChange change) {
        WorkloadFinder l = lookup;
        if (l == null) {
            return List.of();
        }
        return l.candidates(change.ref()).stream().filter(key -> l.get(key).map(w -> policy.decide(change,
                        WorkloadView.of(w)).decision() instanceof io.reloader.model.Decision.Reload).orElse(false))
                .map(WorkloadKey::toString).sorted().toList();
    }

    /**
     * Starts the watches and waits until every initial list is in. If {@link #close} is called meanwhile (the
     * Lease was lost during a long sync), start-up stops where it is, everything it began is stopped, and this
     * throws {@link CancellationException}: a replica that is not the leader never watches or writes.
     */
    public void start(Duration timeout) throws InterruptedException, TimeoutException {
        kinds = new LinkedHashSet<>(options.scope().workloadKinds());
        custom = CustomKinds.discover(client, options.scope().customKinds());
        List<AdapterFactory> adapters = new ArrayList<>(AdapterRegistry.BUILT_IN);
        adapters.addAll(extraAdapters);
        extraAdapters.forEach(f -> kinds.add(f.create(AdapterContext.NONE).kind()));
        custom.forEach(kind -> adapters.add(c -> new CustomWorkloadAdapter(kind, c.api())));
        kinds.addAll(custom);
        // Before any cache starts: building the adapters registers what their kinds declare.
        assembly = new ReconcilerAssembly(client, options, api, pauser, reporter, timing, () -> lookup, kinds,
                adapters, ref -> {
                    ChangeDetector d = detector;
                    return d == null ? null : d.state(ref);
                });
        NamespaceFilter filter = options.scope().globalMode()
                ? new NamespaceFilter(options.scope().namespacesToIgnore(), options.scope().namespaceSelector() != null)
                : NamespaceFilter.none();
        // Sources are listed while the workloads are: a change seen before the workloads are known waits.
        StartupHold<SourceChange> early = new StartupHold<>(
                change -> dispatchLane.submit(change.ref(), () -> dispatch(change)));
        detector = new ChangeDetector(options.keys(), filter, options.reload().reloadOnCreate(),
                options.reload().reloadOnDelete(), early::accept, listeners);
        SourceWatcher watcher = new SourceWatcher(client, options, detector, filter);
        sources = watcher;
        stopIfClosed(); // close() may have run before sources was set, and so not closed it
        CompletableFuture<Void> sourcesSynced = watcher.start();
        if (webhook != null) {
            LOG.info("webhook-url is set, will only send webhook, no resources will be reloaded");
            lookup = new ListingWorkloadFinder(client, java.util.Set.of(), List.of());
        } else {
            lookup = startWorkloadLookup(timeout);
            stopIfClosed();
            startView = lookup instanceof ListingWorkloadFinder listing ? listing.listingOnce() : lookup;
            AdapterRegistry registry = assembly.adapters();
            registry.kinds().stream().filter(kind -> registry.of(kind).pausable())
                    .forEach(kind -> pauser.recover(startView.all(kind)));
        }
        reconciler = reconciler();
        RolloutFollower f = follower;
        if (f != null) {
            WorkloadFinder cache = lookup;
            // Rollouts left unfinished; one workload parsed at a time, not every kind's at once.
            f.resumeSoon(() -> new io.reloader.index.ConcatenatedView<>(kinds.stream().map(cache::all).toList()));
        }
        early.release();
        try {
            await(sourcesSynced, timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot watch sources: " + io.reloader.kube.ApiErrors.describe(e), e);
        }
        stopIfClosed();
        if (webhook == null && options.reload().reloadMissedOnStart()) {
            if (options.reload().honorWaveAnnotations()) {
                WaveTakeover.adopt(WaveTakeover.adoptions(kinds, startView, detector::state,
                        new KeyScope(options.reload().referencedKeysOnly())), api);
            }
            if (lookup instanceof ListingWorkloadFinder) {
                LOG.info("Catching up on changes made while no controller ran, from one LIST per workload kind");
            }
            CatchUp.missedChanges(kinds, startView, detector::state,
                    new KeyScope(options.reload().referencedKeysOnly()),
                    options.reload().strategy() == io.reloader.config.ReloadStrategyType.ENV_VARS,
                    (workload, key, what) -> reporter.markerReverted(workload, key, what,
                            CatchUp.lastOtherManager(workload, options.fieldManager())))
                    .forEach(missed -> queue.offer(missed.getKey(), missed.getValue()));
        }
        if (startView != null && startView != lookup) {
            startView.close(); // drop the start-up lists
        }
        ready = true;
        stopIfClosed();
    }

    /** Waits for the future, or until {@link #close} is called. */
    private void await(CompletableFuture<?> future, Duration timeout)
            throws InterruptedException, TimeoutException, ExecutionException {
        CompletableFuture.anyOf(future, stopped).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        stopIfClosed();
    }

    private void stopIfClosed() {
        if (stopped.isDone()) {
            close(); // again: closes what was created since the first call
            throw new CancellationException("stopped during start-up");
        }
    }

    private WorkloadFinder startWorkloadLookup(Duration timeout) throws InterruptedException, TimeoutException {
        ReferenceIndex index = new ReferenceIndex(options.keys(), options.scope().serviceAccounts().enabled());
        IndexedWorkloadCache informers = new IndexedWorkloadCache(client, index,
                RolloutFeed.of(new WorkloadDiagnostics(options, reporter), () -> follower));
        lookup = informers; // so that close() during the sync stops these informers
        try {
            await(informers.start(options.scope().namespaces(), kinds), timeout);
            return informers;
        } catch (ExecutionException e) {
            informers.close();
            if (!(rootCause(e) instanceof KubernetesClientException kce) || kce.getCode() != 403) {
                throw new IllegalStateException("cannot watch workloads: " + io.reloader.kube.ApiErrors.describe(e), e);
            }
            LOG.warn("watching workloads is forbidden ({}); falling back to listing workloads on every change. "
                    + "Grant the 'watch' verb on the workload kinds to avoid the extra load", io.reloader.kube.ApiErrors.describe(kce));
            reporter.forbidden("workloads", "watch", "falling back to a LIST of every workload kind per change",
                    ownDeployment.get());
            return new ListingWorkloadFinder(client, kinds, options.scope().namespaces(),
                    kind -> reporter.forbidden(kind.listName(), "list", "changes cannot reload " + kind.kindName()
                            + "s", ownDeployment.get()));
        }
    }

    /**
     * Adds adapters of kinds beyond the built-ins, before {@link #start}: a kind is one adapter (see
     * {@link AdapterRegistry#BUILT_IN}); this is how a test adds one without touching the list.
     */
    public ReloaderController withAdapters(List<AdapterFactory> adapters) {
        this.extraAdapters = List.copyOf(adapters);
        return this;
    }

    private ReloadReconciler reconciler() {
        ReloadReconciler built = assembly.reconciler();
        if (lookup instanceof IndexedWorkloadCache) {
            follower = assembly.follower(rolloutReporter);
        } else if (webhook == null) {
            LOG.info("Rollouts are not followed: without 'watch' on workloads no update tells when one is complete");
        }
        return built;
    }

    /** How long a workload's burst settles: its own annotations, else --quiet-period and --coalesce-window. */
    private TimingOptions.Settle settle(WorkloadKey key) {
        WorkloadFinder l = lookup;
        try {
            return l == null ? options.timing().settle()
                    : l.get(key).map(w -> timing.settle(WorkloadView.of(w))).orElse(options.timing().settle());
        } catch (RuntimeException e) {
            return options.timing().settle(); // the LIST fallback reads the workload; a failed read is not fatal
        }
    }

    private Result reconcile(WorkloadKey key, List<SourceChange> changes, int failures) {
        ReloadReconciler r = reconciler;
        return r == null ? Result.requeueAfter(Duration.ofSeconds(1))
                : r.reconcile(key, flaps == null ? changes : flaps.unheld(changes), failures);
    }

    /**
     * An attempt failed and the batch is requeued with backoff (never dropped): Reloader's log line; an unexpected
     * exception counts as a handler error; every few failures in a row a Warning ReloadRetrying, which the recorder
     * aggregates (its message does not change with the count).
     */
    private void retrying(WorkloadKey key, List<SourceChange> changes, String reason, int failures, Duration retryIn) {
        LOG.error("Error syncing events: {}", reason);
        if (reason.startsWith("unexpected ")) {
            metrics.error("handler_error");
        }
        if (failures % RETRYING_EVENT_EVERY != 0) {
            return;
        }
        HasMetadata workload = null;
        try {
            workload = lookup.get(key).orElse(null);
        } catch (RuntimeException e) {
            // the Event needs the object; the log line does not
        }
        reporter.retrying(workload, key, changes, reason);
    }

    private void dispatch(SourceChange change) {
        if (webhook != null) {
            webhook.changed(change);
            return;
        }
        if (flaps != null && !flaps.admit(change)) {
            return; // the source flaps: held until it settles
        }
        route(change);
    }

    /** Offers the change to every workload that may follow its source. */
    private void route(SourceChange change) {
        if (options.scope().ignoredWorkloadTypesError() != null) {
            LOG.error(options.scope().ignoredWorkloadTypesError());
        }
        Collection<WorkloadKey> candidates = lookup.candidates(change.ref());
        if (candidates.isEmpty()) {
            reporter.notFollowed(change);
            metrics.reconcile("skipped", System.nanoTime());
            return;
        }
        for (WorkloadKey key : candidates) {
            if (queue.offer(key, change)) {
                metrics.coalesced();
            }
        }
    }

    /**
     * Synced, and every required watch (sources and workloads) is open, or was closed less than the grace ago
     * (a reconnect is normal; a watch that stays down means changes are missed).
     */
    public boolean isReady() {
        if (!ready || stopped.isDone()) {
            return false;
        }
        SourceWatcher s = sources;
        WorkloadFinder l = lookup;
        boolean up = (s == null || s.allWatching()) && (!(l instanceof IndexedWorkloadCache i) || i.allWatching());
        return watches.healthy(up);
    }

    /** How long a required watch may be down before /ready says so (default 10 s); for tests. */
    public ReloaderController readinessGrace(Duration grace, Clock clock) {
        this.watches = new WatchHealth(grace, clock);
        return this;
    }

    /** True when no change is pending or being written and no Event waits; for tests and the demo. */
    public boolean isIdle() {
        return dispatchLane.idle() && queue.idle() && events.idle();
    }

    /** True while any watch this controller started may still be open. */
    public boolean isWatching() {
        SourceWatcher s = sources;
        WorkloadFinder l = lookup;
        return (s != null && s.isWatching()) || (l instanceof IndexedWorkloadCache i && i.isWatching());
    }

    /** Stops everything; safe to call more than once and from another thread while {@link #start} runs. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    /**
     * Stops everything at once, without letting queued or in-flight writes finish: for a replica that lost the
     * Lease, whose writes another replica may now be making. What is dropped the next leader catches up on.
     */
    public void abandon() {
        stop(Duration.ZERO);
    }

    private void stop(Duration writeGrace) {
        ready = false;
        stopped.complete(null);
        dispatchLane.close();
        SourceWatcher s = sources;
        if (s != null) {
            s.close();
        }
        queue.close(writeGrace);
        pauser.close();
        RolloutFollower f = follower;
        if (f != null) {
            f.close();
        }
        if (flaps != null) {
            flaps.close();
        }
        events.close();
        if (webhook != null) {
            webhook.close();
        }
        if (alerts != null) {
            alerts.close();
        }
        WorkloadFinder l = lookup;
        if (l != null) {
            l.close();
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
