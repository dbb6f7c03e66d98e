package io.reloader.strategy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.reloader.config.ReloadStrategyType;
import io.reloader.model.ReloadPlan;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.PodTemplates;

/**
 * How a decided change is written into the pod template (docs/compatibility.md#strategies). Each strategy reports whether it changed
 * anything: a workload that already carries the current hash for the source is left alone (docs/compatibility.md#idempotent-marker).
 */
public sealed interface ReloadStrategy permits EnvVarStrategy, AnnotationStrategy {

    /**
     * Records the edit for one change into {@code patch} and {@code record}.
     *
     * @return true if the workload did not yet reflect the change, i.e. something was edited
     */
    boolean apply(TemplatePatch patch, AppliedHashes record, SourceChange change, String container, long nowSeconds);

    /**
     * True when {@code other} (e.g. a Job created from a CronJob) already carries every change of the plan,
     * judged by this strategy: the same variable value, or the same marker hash.
     */
    default boolean carries(HasMetadata other, ReloadPlan plan, long nowSeconds) {
        WorkloadKind kind = KindRegistry.of(other);
        PodTemplateSpec template = PodTemplates.of(other);
        if (template == null || template.getSpec() == null) {
            return false;
        }
        TemplatePatch patch = new TemplatePatch(other, template, kind.templatePath());
        AppliedHashes record = AppliedHashes.parse(null);
        for (SourceChange change : plan.applied()) {
            if (apply(patch, record, change, plan.containers().get(change.ref()), nowSeconds)) {
                return false;
            }
        }
        return true;
    }

    static ReloadStrategy of(ReloadStrategyType type) {
        return type == ReloadStrategyType.ANNOTATIONS ? new AnnotationStrategy() : new EnvVarStrategy();
    }
}
