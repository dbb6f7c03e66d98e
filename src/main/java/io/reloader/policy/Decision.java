package io.reloader.policy;

/** The outcome of the per-workload decision (spec §3.2). */
public sealed interface Decision {

    /** Reload: apply the strategy to {@code container}. */
    record Reload(ReloadMode mode, String container) implements Decision {
    }

    /** Do not reload, and why. */
    record Skip(SkipReason reason) implements Decision {
    }

    /** Why a workload is not reloaded. */
    enum SkipReason {
        /** The source carries the ignore annotation. */
        SOURCE_IGNORED,
        /** The workload excludes the source by name. */
        EXCLUDED,
        /** No annotation (or auto-reload-all) makes the workload follow the source. */
        NOT_ANNOTATED,
        /** The workload follows the source but no container qualifies (spec §4.2). */
        NO_CONTAINER
    }
}
