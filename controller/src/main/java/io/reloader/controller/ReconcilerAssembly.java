package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.config.Options;
import io.reloader.config.ReloadStrategyType;
import io.reloader.index.IndexedWorkloadCache;
import io.reloader.index.WorkloadFinder;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.KeyScope;
import io.reloader.policy.ReloadPolicy;
import io.reloader.policy.TimingAnnotations;
import io.reloader.report.ReloadReporter;
import io.reloader.spec.KindRegistry;
import io.reloader.strategy.ReloadStrategy;
import io.reloader.watch.ChangeDetector;
import io.reloader.workload.AdapterContext;
import io.reloader.workload.AdapterFactory;
import io.reloader.workload.AdapterRegistry;
import io.reloader.workload.CronJobAction;
import io.reloader.workload.DeploymentPauser;
import io.reloader.workload.JobAction;
import io.reloader.workload.PodEvictor;
import io.reloader.workload.ReloadExecutor;
import io.reloader.write.WorkloadApi;
import io.reloader.write.WriteRateLimiter;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the reconciler and everything it acts through (planner, adapters, pacing, windows) from the options. The
 * adapters come first, before the caches start, so that what their kinds declare is known to the caches.
 */
final class ReconcilerAssembly {
    private final KubernetesClient client;
    private final Options options;
    private final WorkloadApi api;
    private final DeploymentPauser pauser;
    private final ReloadReporter reporter;
    private final TimingAnnotations timing;
    /** The workload lookup, which exists only once the caches started (after the adapters). */
    private final Supplier<WorkloadFinder> lookup;
    private final Clock clock = Clock.systemUTC();
    private final Set<WorkloadKind> kinds;
    private final Function<SourceRef, ChangeDetector.SourceState> sources;
    private final ReloadStrategy strategy;
    private final JobAction jobs;
    private final AdapterRegistry adapters;
    private RolloutControl rollouts;
    private ReloadWindowGate windows;
    private ReloadExecutor executor;

    /**
     * @param kinds    the kinds watched
     * @param adapters the adapters of every kind handled, in processing order
     * @param sources  the sources' current state (the change detector's), which decisions are made on
     */
    ReconcilerAssembly(KubernetesClient client, Options options, WorkloadApi api, DeploymentPauser pauser, ReloadReporter reporter,
                       TimingAnnotations timing, Supplier<WorkloadFinder> lookup, Set<WorkloadKind> kinds,
                       List<AdapterFactory> adapters, Function<SourceRef, ChangeDetector.SourceState> sources) {
        this.sources = sources;
        this.client = client;
        this.kinds = kinds;
        this.options = options;
        this.api = api;
        this.pauser = pauser;
        this.reporter = reporter;
        this.timing = timing;
        this.lookup = lookup;
        this.strategy = ReloadStrategy.of(options.reload().strategy());
        this.jobs = new JobAction(api, Duration.ofSeconds(30), clock);
        CronJobAction cronJobs = new CronJobAction(api, CronJobAction.ownedJobs(api, this::cached), strategy,
                options.reload().cronjobRespectSuspend(), clock);
        this.adapters = new AdapterRegistry(new AdapterContext(api, pauser, cronJobs, jobs, clock), adapters);
    }

    /** The adapters; building them registered their kinds. */
    AdapterRegistry adapters() {
        return adapters;
    }

    /** Every cached workload of a kind, or null when the kind is not cached (not watched, or no informers). */
    private Collection<HasMetadata> cached(WorkloadKind kind) {
        WorkloadFinder l = lookup.get();
        return l instanceof IndexedWorkloadCache && kinds.contains(kind) ? l.all(kind) : null;
    }

    /** Call once the caches started. */
    ReloadReconciler reconciler() {
        WorkloadFinder lookup = this.lookup.get();
        ReloadPlanner planner = new ReloadPlanner(new ReloadPolicy(options.keys(), options.reload().autoReloadAll(),
                options.reload().honorWaveAnnotations()),
                strategy, options.reload().strategy() == ReloadStrategyType.ANNOTATIONS
                && !options.reload().keepStaleEnvVars(), new KeyScope(options.reload().referencedKeysOnly()), sources);
        executor = new ReloadExecutor(options.keys(), adapters, pauser).withEvictor(new PodEvictor(
                client, api, options.rollout().waitTimeout(), n -> reporter.metrics().evicted(n), clock))
                .withJobs(jobs);
        rollouts = new RolloutControl(options.rollout().minInterval(), options.rollout().sequential(),
                options.rollout().waitTimeout(), lookup,
                (workload, generation) -> adapters.of(KindRegistry.of(workload)).available(workload, generation), clock);
        WriteRateLimiter limiter = new WriteRateLimiter(options.rollout().maxWritesPerSecond(),
                options.rollout().writesBurst());
        windows = new ReloadWindowGate(timing, api, reporter, clock);
        return new ReloadReconciler(lookup, planner, api, executor, rollouts, windows, limiter, reporter, clock);
    }

    /** Follows the rollouts the reconciler's writes start (call after {@link #reconciler}). */
    RolloutFollower follower(io.reloader.report.RolloutReporter out) {
        RolloutFollower follower = new RolloutFollower(lookup.get(), adapters, kinds, options.rollout().waitTimeout(), out,
                io.reloader.concurrent.Timers.daemon("reloader-rollouts"), clock);
        executor.withRolloutListener(follower::started);
        rollouts.haltedBy(new RolloutHalts(follower, out), windows::recordHeld);
        return follower;
    }
}
