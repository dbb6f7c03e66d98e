package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.index.WorkloadFinder;
import io.reloader.kube.ApiErrors;
import io.reloader.model.AnnotationProblem;
import io.reloader.model.ReloadPlan;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKey;
import io.reloader.report.ReloadReporter;
import io.reloader.workload.ActionFailedException;
import io.reloader.workload.ReloadExecutor;
import io.reloader.write.RetryPolicy;
import io.reloader.write.WorkloadApi;
import io.reloader.write.WriteRateLimiter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Handles one batch of source changes for one workload: decide and plan on the cached state, write once, and
 * on a conflict re-read, decide again and retry, a bounded number of times (spec §7.4, per workload).
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
    private final RetryPolicy retry;
    private final Clock clock;

    public ReloadReconciler(WorkloadFinder lookup, ReloadPlanner planner, WorkloadApi writer,
                              ReloadExecutor actions, RolloutControl rollouts, ReloadWindowGate windows,
                              WriteRateLimiter limiter, ReloadReporter reporter, RetryPolicy retry, Clock clock) {
        this.lookup = lookup;
        this.planner = planner;
        this.writer = writer;
        this.actions = actions;
        this.rollouts = rollouts;
        this.windows = windows;
        this.limiter = limiter;
        this.reporter = reporter;
        this.retry = retry;
        this.clock = clock;
    }

    /**
     * @return null when the batch is done (written, skipped or failed for good), or how long to wait before
     *         handing it back (rollout pacing)
     */
    public Duration reconcile(WorkloadKey key, List<SourceChange> changes) {
        long start = System.nanoTime();
        Optional<HasMetadata> current = lookup.get(key);
        for (int attempt = 1; ; attempt++) {
            if (current.isEmpty()) {
                return null; // deleted meanwhile: nothing to roll
            }
            HasMetadata workload = lookup.effective(current.get());
            long attemptStart = System.nanoTime();
            reporter.metrics().scanned(key.kind().kindName());
            ReloadPlan plan = planner.plan(workload, changes, clock.millis() / 1000);
            for (AnnotationProblem p : plan.problems()) {
                reporter.invalidPattern(key, p);
            }
            plan.skipped().keySet().forEach(reporter::notFollowed);
            plan.upToDate().forEach(c -> reporter.upToDate(key, c));
            if (!plan.hasWrite()) {
                windows.clearIfStale(key, current.get());
                reporter.metrics().reconcile("skipped", start);
                return null;
            }
            Duration hold = windows.hold(key, current.get(), plan.applied());
            if (hold != null) {
                return hold; // handed back when the window opens, merged with what comes meanwhile
            }
            Duration defer = rollouts.deferral(key, workload, plan.applied());
            if (defer != null) {
                return defer;
            }
            // The deferral claimed the sources (sequential rollouts): whatever happens below, either written()
            // records the write or the finally gives the claim back, so an unexpected exception cannot block them.
            boolean recorded = false;
            try {
                limiter.acquire();
                Optional<HasMetadata> written = actions.apply(key, workload, plan);
                if (written.isEmpty()) {
                    plan.applied().forEach(c -> reporter.upToDate(key, c));
                    reporter.metrics().reconcile("skipped", start);
                } else {
                    rollouts.written(key, written.get(), plan.applied());
                    windows.released(key);
                    recorded = true;
                    plan.applied().forEach(c -> reporter.reloaded(written.get(), key, c, attemptStart));
                    if (actions.adapters().of(key.kind()).usesOnDelete(workload)) {
                        reporter.onDeletePending(written.get(), key);
                    }
                    reporter.metrics().reconcile("success", start);
                }
                return null;
            } catch (ActionFailedException e) {
                reporter.failed(workload, key, plan.applied(), e.getMessage(), attemptStart);
                reporter.metrics().reconcile("error", start);
                reporter.metrics().error("handler_error");
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return null;
                }
                if (!retry.retryable(e) || attempt >= retry.maxAttempts()) {
                    reporter.failed(workload, key, plan.applied(), ApiErrors.describe(e), attemptStart);
                    reporter.metrics().reconcile("error", start);
                    reporter.metrics().error("handler_error");
                    return null;
                }
            } finally {
                if (!recorded) {
                    rollouts.released(key, plan.applied());
                }
            }
            reporter.metrics().retry();
            sleep(retry.backoff(attempt).toMillis());
            current = readFresh(key, current);
        }
    }

    private Optional<HasMetadata> readFresh(WorkloadKey key, Optional<HasMetadata> fallback) {
        try {
            return writer.read(key);
        } catch (KubernetesClientException e) {
            return fallback;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
