package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.RolloutTarget;

import java.time.Duration;
import java.util.Optional;

/**
 * Where carrying out a reload stands after one step. Actions that take time (evicting pods one by one, waiting for
 * a deleted Job to be gone) never wait on the caller's thread: they say when to look again, and continue from the
 * state they find then.
 */
public sealed interface Progress {
    /**
     * Finished: the object to record Events on, or empty when nothing needed writing (the result exists); and the
     * rollout the write started, when it is not the workload itself from the generation written (null: it is).
     */
    record Written(Optional<HasMetadata> object, RolloutTarget rollout) implements Progress {
        public Written(Optional<HasMetadata> object) {
            this(object, null);
        }
    }

    /** Not finished: call again after this long. */
    record Waiting(Duration after) implements Progress {
    }

    /** Not carried out, for a reason the user must hear about (a Warning Event), and not retried. */
    record Skipped(String reason) implements Progress {
    }
}
