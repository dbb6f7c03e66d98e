package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.config.Options;
import io.reloader.config.ReloadStrategyType;
import io.reloader.index.IndexedWorkloadCache;
import io.reloader.policy.AnnotationLint;
import io.reloader.report.ReloadReporter;
import io.reloader.spec.References;
import io.reloader.spec.WorkloadView;
import io.reloader.strategy.EnvVarNames;
import io.reloader.strategy.Markers;

/**
 * What the controller says about workloads as the cache sees them: invalid or useless annotations, env var
 * collisions, and markers reverted by someone else (docs/compatibility.md#revert-detection). Runs on informer threads; reporting is asynchronous.
 */
final class WorkloadDiagnostics implements IndexedWorkloadCache.WorkloadListener {
    private final Options options;
    private final ReloadReporter reporter;
    private final AnnotationLint lint;

    WorkloadDiagnostics(Options options, ReloadReporter reporter) {
        this.options = options;
        this.reporter = reporter;
        this.lint = new AnnotationLint(options.keys());
    }

    @Override
    public void changed(HasMetadata workload) {
        WorkloadView view = WorkloadView.of(workload);
        reporter.annotationProblems(workload, view.key(), lint.lint(view));
        if (options.reload().strategy() == ReloadStrategyType.ENV_VARS) {
            EnvVarNames.collisions(References.of(view.podSpec())).forEach((var, sources) ->
                    reporter.envVarCollision(workload, view.key(), var, sources));
        }
    }

    @Override
    public void updated(HasMetadata before, HasMetadata after) {
        Markers.reverted(before, after).ifPresent(what -> reporter.markerReverted(after, WorkloadView.of(after).key(),
                what, CatchUp.lastOtherManager(after, options.fieldManager())));
    }
}
