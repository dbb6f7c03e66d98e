package io.reloader.config;

import java.time.Duration;

/**
 * Rollout control (project extensions).
 *
 * @param minInterval        minimum time between two rollouts of one workload; zero is off
 * @param sequential         one workload at a time per source, each waiting for the previous to be available
 * @param waitTimeout        how long a sequential rollout waits for the previous one
 * @param maxWritesPerSecond client-side limit on workload writes; zero or less is unlimited
 * @param writesBurst        writes allowed at once before the limit applies
 * @param workers            workloads written concurrently
 */
public record RolloutOptions(Duration minInterval, boolean sequential, Duration waitTimeout, double maxWritesPerSecond,
                             int writesBurst, int workers) {
}
