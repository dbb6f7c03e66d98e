package io.reloader.bench;

/**
 * The cluster the benchmark builds: sources and workloads spread over namespaces, each workload referencing 1 to
 * 3 sources.
 */
public record Population(int secrets, int secretBytes, int configMaps, int configMapBytes, int workloads,
                         int namespaces, int changes, int bursts) {

    public static Population defaults() {
        return new Population(20_000, 8 * 1024, 15_000, 4 * 1024, 5_000, 50, 100, 50);
    }
}
