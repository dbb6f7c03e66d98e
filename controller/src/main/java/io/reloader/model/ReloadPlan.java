package io.reloader.model;

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
 * @param containers the container chosen for each applied change
 * @param record   the applied-hashes record the patch writes (JSON), or null without a write
 */
public record ReloadPlan(List<Map<String, Object>> patch, List<SourceChange> applied, List<SourceChange> upToDate,
                         Map<SourceChange, Decision.SkipReason> skipped, List<AnnotationProblem> problems,
                         Map<SourceRef, String> containers, String record) {

    public boolean hasWrite() {
        return !applied.isEmpty();
    }

    /**
     * Nothing to roll, but the applied-hashes record disagrees with what the template already carries: only the
     * record is written (metadata, no rollout). See {@code AppliedHashes#repair}.
     */
    public boolean repairsRecord() {
        return applied.isEmpty() && record != null;
    }
}
