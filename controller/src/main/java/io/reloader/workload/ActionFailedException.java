package io.reloader.workload;

/** A workload action that failed for good (not worth a retry against a fresh read). */
public final class ActionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ActionFailedException(String message) {
        super(message);
    }
}
