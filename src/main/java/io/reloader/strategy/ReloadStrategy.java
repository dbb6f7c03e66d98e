package io.reloader.strategy;

import io.reloader.config.ReloadStrategyType;
import io.reloader.model.SourceChange;

/**
 * How a decided change is written into the pod template (spec §6). Each strategy reports whether it changed
 * anything: a workload that already carries the current hash for the source is left alone (spec I1).
 */
public sealed interface ReloadStrategy permits EnvVarStrategy, AnnotationStrategy {

    /**
     * Records the edit for one change into {@code patch} and {@code record}.
     *
     * @return true if the workload did not yet reflect the change, i.e. something was edited
     */
    boolean apply(TemplatePatch patch, AppliedHashes record, SourceChange change, String container, long nowSeconds);

    static ReloadStrategy of(ReloadStrategyType type) {
        return type == ReloadStrategyType.ANNOTATIONS ? new AnnotationStrategy() : new EnvVarStrategy();
    }
}
