package io.reloader.queue;

import java.time.Duration;

/**
 * What handling one key's batch came to, as controller-runtime's reconcile result: done (the items are consumed and
 * the key's backoff forgotten), run again after a delay the handler chose (a wait: a pod to get Ready, a window to
 * open; not a failure), or retry after the key's backoff (an attempt failed and is worth another).
 */
public sealed interface Result {
    record Done() implements Result {
    }

    record RequeueAfter(Duration after) implements Result {
        public RequeueAfter {
            if (after.isNegative()) {
                after = Duration.ZERO;
            }
        }
    }

    /** @param reason what failed, safe to log and to put in an Event (no data, no server message) */
    record Retry(String reason) implements Result {
    }

    Done DONE = new Done();

    static Result done() {
        return DONE;
    }

    static Result requeueAfter(Duration after) {
        return new RequeueAfter(after);
    }

    static Result retry(String reason) {
        return new Retry(reason);
    }
}
