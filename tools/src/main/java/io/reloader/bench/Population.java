package io.reloader.bench;

/**
 * The cluster the benchmark builds: sources and workloads spread over namespaces, each workload referencing 1 to
 * 3 sources; optionally Helm release records ({@code type: helm.sh/release.v1}), which the benchmark adds after
 * the default population has been measured and measures again.
 */
public record Population(int secrets, int secretBytes, int configMaps, int configMapBytes, int workloads,
                         int namespaces, int changes, int bursts, int helmSecrets, int helmSecretBytes) {

    public Population(int secrets, int secretBytes, int configMaps, int configMapBytes, int workloads,
                      int namespaces, int changes, int bursts) {
        this(secrets, secretBytes, configMaps, configMapBytes, workloads, namespaces, changes, bursts, 0, 0);
    }

    public static Population defaults() {
        return new Population(20_000, 8 * 1024, 15_000, 4 * 1024, 5_000, 50, 100, 50);
    }

    /** How the report names it: the targets are set for two populations. */
    public String name() {
        Population d = defaults();
        if (secrets == d.secrets && secretBytes == d.secretBytes && configMaps == d.configMaps
                && configMapBytes == d.configMapBytes && workloads == d.workloads && namespaces == d.namespaces) {
            return "default population";
        }
        if (secrets == 1_736 && configMaps == 1_050 && workloads == 520) {
            return "Reloader #977's population";
        }
        return "this population";
    }

    /** The RSS steady target of the population, in MiB; null where none is set. */
    public Integer rssSteadyGoalMib() {
        return switch (name()) {
            case "default population" -> 160;
            case "Reloader #977's population" -> 96;
            default -> null;
        };
    }

    /** The same population without the Helm release Secrets. */
    public Population withoutHelm() {
        return new Population(secrets, secretBytes, configMaps, configMapBytes, workloads, namespaces, changes, bursts);
    }
}
