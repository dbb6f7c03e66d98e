package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.strategy.AppliedHashes;
import io.reloader.index.WorkloadFinder;
import io.reloader.kube.ApiErrors;
import io.reloader.model.AnnotationProblem;
import io.reloader.model.ReloadPlan;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKey;
import io.reloader.queue.Result;
import io.reloader.report.ReloadReporter;
import io.reloader.workload.ActionFailedException;
import io.reloader.workload.Progress;
import io.reloader.workload.ReloadExecutor;
import io.reloader.write.RetryPolicy;
import io.reloader.write.WorkloadApi;
import io.reloader.write.WriteRateLimiter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Handles one batch of source changes for one workload, once per call, and says what comes next (docs/compatibility.md#failure-handling, per
 * workload): decide and plan on the cached state (after a failed attempt, on a fresh read), write once, and return
 * done; a wait (reload window, rollout pacing, write rate, eviction progress, a Job not gone yet) as a requeue
 * after the time it needs; a failure worth another attempt (409, 429, 5xx, timeouts, connection errors) as a retry,
 * which the queue backs off; any other failure is reported once (ReloadFail) and the batch is done.
 */
public final class ReloadReconciler {
    private final WorkloadFinder lookup;
    private final ReloadPlanner planner;
    private final WorkloadApi writer;
    private final ReloadExecutor actions;
    private final RolloutControl rollouts;
    private final ReloadWindowGate windows;
    private final WriteRateLimiter limiter;
    private final ReloadReporter reporter;
    private final Clock clock;

    public ReloadReconciler(WorkloadFinder lookup, ReloadPlanner planner, WorkloadApi writer,
                            ReloadExecutor actions, RolloutControl rollouts, ReloadWindowGate windows,
                            WriteRateLimiter limiter, ReloadReporter reporter, Clock clock) {
        this.lookup = lookup;
        this.planner = planner;
        this.writer = writer;
        this.actions = actions;
        this.rollouts = rollouts;
        this.windows = windows;
        this.limiter = limiter;
        this.reporter = reporter;
        this.clock = clock;
    }

    /**
     * @param failures consecutive failed attempts before this one: the cached copy is not trusted after one
     */
    public Result reconcile(WorkloadKey key, List<SourceChange> changes, int failures) {
        long start = System.nanoTime();
        HasMetadata deleted = actions.detachedWorkload(key);
        if (deleted != null) {
            List<SourceChange> carried = actions.detachedChanges(key);
            try {
                Progress detached = actions.resumeDetached(key);
                if (detached != null) {
                    Result r = finish(key, null, carried, detached, start);
                    // Changes that arrived while the Job was away are not in the copy: look again at the new Job.
                    return detached instanceof Progress.Written ? Result.requeueAfter(Duration.ZERO) : r;
                }
            } catch (RuntimeException e) {
                return failed(key, deleted, carried, e, start);
            }
        }
        boolean resumed = actions.resumeIfDue(key);
        if (changes.isEmpty()) {
            return Result.done(); // a bare timer (a pause period's end)
        }
        Optional<HasMetadata> current;
        try {
            current = failures > 0 || resumed || actions.plansOnFreshRead(key) ? writer.read(key) : lookup.get(key);
        } catch (KubernetesClientException e) {
            if (RetryPolicy.retryable(e)) {
                return Result.retry(ApiErrors.describe(e));
            }
            current = lookup.get(key);
        }
        if (current.isEmpty()) {
            actions.forget(key);
            return Result.done(); // deleted meanwhile: nothing to roll
        }
        HasMetadata workload = lookup.effective(current.get());
        // Requeued to look at an action's progress: what was said about the plan is not said again.
        boolean firstLook = !actions.inProgress(key);
        if (firstLook) {
            reporter.metrics().scanned(key.kind().kindName());
        }
        ReloadPlan plan = planner.plan(workload, changes, clock.millis() / 1000);
        if (firstLook) {
            for (AnnotationProblem p : plan.problems()) {
                reporter.invalidPattern(key, p);
            }
            plan.skipped().keySet().forEach(reporter::notFollowed);
            plan.upToDate().forEach(c -> reporter.upToDate(key, c));
        }
        if (plan.repairsRecord()) {
            try {
                writer.mergePatch(key, Map.of("metadata", AppliedHashes.metadataPatch(
                        current.get().getMetadata().getResourceVersion(), plan.record())));
            } catch (KubernetesClientException e) {
                if (RetryPolicy.retryable(e)) {
                    return Result.retry(ApiErrors.describe(e)); // 409: our copy was stale; planned again fresh
                }
                if (!RetryPolicy.notFound(e)) {
                    reporter.metrics().error("handler_error");
                }
            }
        }
        if (!plan.hasWrite()) {
            actions.forget(key);
            windows.clearIfStale(key, current.get());
            reporter.metrics().reconcile("skipped", start);
            return Result.done();
        }
        Duration hold = windows.hold(key, current.get(), plan.applied());
        if (hold != null) {
            return Result.requeueAfter(hold); // handed back when the window opens, merged with what comes meanwhile
        }
        Duration defer = rollouts.deferral(key, workload, plan.applied());
        if (defer != null) {
            return Result.requeueAfter(defer);
        }
        // The deferral claimed the sources (sequential rollouts): whatever happens below, either written()
        // records the write or the finally gives the claim back, so an unexpected exception cannot block them.
        boolean recorded = false;
        try {
            if (!actions.inProgress(key)) {
                Duration wait = limiter.tryAcquire();
                if (!wait.isZero()) {
                    return Result.requeueAfter(wait);
                }
            }
            Progress progress = actions.apply(key, workload, plan);
            recorded = progress instanceof Progress.Written w && w.object().isPresent();
            return finish(key, workload, plan.applied(), progress, start);
        } catch (RuntimeException e) {
            return failed(key, workload, plan.applied(), e, start);
        } finally {
            if (!recorded) {
                rollouts.released(key, plan.applied());
            }
        }
    }

    private Result finish(WorkloadKey key, HasMetadata workload, List<SourceChange> applied, Progress progress,
                          long start) {
        if (progress instanceof Progress.Waiting w) {
            return Result.requeueAfter(w.after());
        }
        if (progress instanceof Progress.Skipped s) {
            reporter.evictionSkipped(workload, key, s.reason());
            reporter.metrics().reconcile("skipped", start);
            return Result.done();
        }
        Optional<HasMetadata> written = ((Progress.Written) progress).object();
        if (written.isEmpty()) {
            applied.forEach(c -> reporter.upToDate(key, c));
            reporter.metrics().reconcile("skipped", start);
            return Result.done();
        }
        if (workload != null) {
            rollouts.written(key, written.get(), applied);
        }
        windows.released(key);
        applied.forEach(c -> reporter.reloaded(written.get(), key, c, start));
        if (workload != null && actions.adapters().of(key.kind()).usesOnDelete(workload)) {
            reporter.onDeletePending(written.get(), key);
        }
        reporter.metrics().reconcile("success", start);
        return Result.done();
    }

    /** A failed step: retried if worth another attempt, dropped quietly if the workload is gone, else reported. */
    private Result failed(WorkloadKey key, HasMetadata workload, List<SourceChange> applied, RuntimeException e,
                          long start) {
        if (!(e instanceof ActionFailedException)) {
            if (RetryPolicy.notFound(e)) {
                actions.forget(key);
                return Result.done();
            }
            if (RetryPolicy.retryable(e)) {
                return Result.retry(ApiErrors.describe(e));
            }
            if (!(e instanceof KubernetesClientException)) {
                throw e; // unexpected: the queue retries it with backoff
            }
        }
        actions.forget(key);
        String error = e instanceof ActionFailedException ? e.getMessage() : ApiErrors.describe(e);
        reporter.failed(workload, key, applied, error, start);
        reporter.metrics().reconcile("error", start);
        reporter.metrics().error("handler_error");
        return Result.done();
    }
}
