package io.reloader.strategy;

import io.reloader.model.SourceChange;
import io.reloader.policy.AnnotationProblem;
import io.reloader.policy.Decision;

import java.util.List;
import java.util.Map;

/**
 * Everything decided for one workload and one batch of changes: the patch to send (empty when nothing would
 * change), the changes it applies, and the outcome of the others.
 *
 * @param applied  changes the patch applies, in arrival order
 * @param upToDate changes the workload already reflected (counted as {@code strategy_not_updated})
 * @param skipped  changes the policy decided not to apply, with the reason
 * @param problems invalid pattern items met while deciding
 */
public record ReloadPlan(List<Map<String, Object>> patch, List<SourceChange> applied, List<SourceChange> upToDate,
                         Map<SourceChange, Decision.SkipReason> skipped, List<AnnotationProblem> problems) {

    public boolean hasWrite() {
        return !applied.isEmpty();
    }
}
