package io.reloader.index;

import io.reloader.model.WorkloadKey;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which workloads run which other workload's template (a Rollout's {@code spec.workloadRef} names a Deployment);
 * not thread-safe.
 */
final class DependentIndex {
    private final Map<WorkloadKey, WorkloadKey> targetOf = new HashMap<>();
    private final Map<WorkloadKey, Set<WorkloadKey>> followers = new HashMap<>();

    /** Records that {@code follower} follows {@code target} now (null: nothing). */
    void follow(WorkloadKey follower, WorkloadKey target) {
        WorkloadKey old = target == null ? targetOf.remove(follower) : targetOf.put(follower, target);
        if (old != null && !old.equals(target)) {
            Set<WorkloadKey> set = followers.get(old);
            if (set != null && set.remove(follower) && set.isEmpty()) {
                followers.remove(old);
            }
        }
        if (target != null) {
            followers.computeIfAbsent(target, t -> new HashSet<>(2)).add(follower);
        }
    }

    List<WorkloadKey> followers(WorkloadKey target) {
        return List.copyOf(followers.getOrDefault(target, Set.of()));
    }
}
