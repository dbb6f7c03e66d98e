package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.index.IndexedWorkloadCache;

import java.util.function.Supplier;

/** Hands the workload informers' updates to the diagnostics and to the rollout follower, once there is one. */
final class RolloutFeed implements IndexedWorkloadCache.WorkloadListener {
    private final IndexedWorkloadCache.WorkloadListener next;
    private final Supplier<RolloutFollower> follower;

    private RolloutFeed(IndexedWorkloadCache.WorkloadListener next, Supplier<RolloutFollower> follower) {
        this.next = next;
        this.follower = follower;
    }

    static IndexedWorkloadCache.WorkloadListener of(IndexedWorkloadCache.WorkloadListener next,
                                                    Supplier<RolloutFollower> follower) {
        return new RolloutFeed(next, follower);
    }

    @Override
    public void changed(HasMetadata workload) {
        try {
            next.changed(workload);
        } finally {
            RolloutFollower f = follower.get();
            if (f != null) {
                f.observed(workload);
            }
        }
    }

    @Override
    public void updated(HasMetadata before, HasMetadata after) {
        next.updated(before, after);
    }

    @Override
    public void deleted(HasMetadata workload) {
        next.deleted(workload);
        RolloutFollower f = follower.get();
        if (f != null) {
            f.deleted(workload);
        }
    }
}
