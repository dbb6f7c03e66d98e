package io.reloader.model;

/** The outcome of the per-workload decision (docs/compatibility.md#decision-order). */
public sealed interface Decision {

    /** Reload: apply the strategy to {@code container}; {@code rule} says which annotation decided. */
    record Reload(Rule rule, String container) implements Decision {
        public ReloadMode mode() {
            return rule == Rule.NAMED ? ReloadMode.NAMED : ReloadMode.AUTO;
        }
    }

    /** The rule that made a workload follow a source, in precedence order. */
    enum Rule {
        /** The type's reload annotation names the source (a pattern); no reference needed. */
        NAMED,
        /** {@code search: "true"} on the workload and {@code match: "true"} on the source. */
        SEARCH,
        /** {@code reloader.stakater.com/auto} is true. */
        AUTO,
        /** The type's own auto annotation is true. */
        TYPED_AUTO,
        /** {@code --auto-reload-all} and no auto annotation. */
        AUTO_RELOAD_ALL
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
        /** The workload follows the source but no container qualifies (docs/compatibility.md#references-and-container-choice). */
        NO_CONTAINER,
        /** Key-level precision: none of the keys the workload reads changed. */
        KEYS_UNCHANGED
    }
}
