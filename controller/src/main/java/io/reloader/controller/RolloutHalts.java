package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKey;
import io.reloader.report.RolloutReporter;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Progressive reloads ({@code --sequential-rollouts}): while the rollout a source's reload started on one workload
 * is stalled, the source's other workloads are held, each told once by {@code Warning ReloadHalted} which workload
 * holds it. The hold ends when the stalled workload becomes Current (its follow ends), or when the source changes
 * again: the stalled workload is then written first (it is never held by itself), its new rollout is no longer
 * stalled, and the others follow one at a time as sequential rollouts do. Level-triggered: the stalls come from the
 * {@link RolloutFollower}, which re-derives them from status at start-up, and held changes are caught up at
 * start-up like any missed change, so a hold survives a restart or a leader change.
 *
 * <p>Rollout control consults {@link #halt} before it lets a workload's write go ahead, and defers the write
 * while it answers a halt.
 */
public final class RolloutHalts {
    private final RolloutFollower follower;
    private final RolloutReporter reporter;
    /** Held workloads already told, and by which stalled workload; an entry goes when the hold ends. */
    private final Map<WorkloadKey, WorkloadKey> told = new ConcurrentHashMap<>();

    public RolloutHalts(RolloutFollower follower, RolloutReporter reporter) {
        this.follower = follower;
        this.reporter = reporter;
    }

    /**
     * The stalled rollout that holds this workload's write of these changes, or empty to go ahead.
     *
     * @param workload the workload, to record the Event on
     */
    public Optional<RolloutFollower.Stall> halt(WorkloadKey key, HasMetadata workload, List<SourceChange> applied) {
        for (SourceChange c : applied) {
            Optional<RolloutFollower.Stall> stall = follower.stalledOn(c.ref(), key);
            if (stall.isPresent()) {
                if (!stall.get().workload().equals(told.put(key, stall.get().workload()))) {
                    reporter.halted(workload, key, c.ref(), stall.get().workload(), stall.get().reason());
                }
                return stall;
            }
        }
        told.remove(key);
        return Optional.empty();
    }

    /** Held workloads remembered, for tests. */
    int size() {
        return told.size();
    }
}
