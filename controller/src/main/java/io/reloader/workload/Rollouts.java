package io.reloader.workload;

/** Small checks shared by the adapters' availability tests. */
final class Rollouts {
    private Rollouts() {
    }

    static boolean observed(Long observedGeneration, long generation) {
        return observedGeneration != null && observedGeneration >= generation;
    }

    static boolean eq(Integer value, int expected) {
        return value != null && value == expected;
    }
}
