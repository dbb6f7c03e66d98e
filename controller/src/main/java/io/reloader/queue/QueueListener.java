package io.reloader.queue;

/** Observes the queue, for metrics (Reloader's {@code reloader_workqueue_*} and controller-runtime's {@code workqueue_*}). */
public interface QueueListener {
    /** An item was offered; {@code depth} keys are pending (Reloader's adds and depth). */
    void added(int depth);

    /** A key's batch was handed to a worker, {@code waitedNanos} after its first item (Reloader's latency). */
    void dequeued(int depth, long waitedNanos);

    /** A key became ready for a worker (controller-runtime's adds). */
    default void enqueued() {
    }

    /** A worker took a key, {@code queuedNanos} after it became ready. */
    default void started(long queuedNanos) {
    }

    /** A worker finished a key after {@code workNanos}. */
    default void finished(long workNanos) {
    }

    /** A key was requeued with backoff after a failed attempt. */
    default void retried() {
    }

    static QueueListener none() {
        return new QueueListener() {
            @Override
            public void added(int depth) {
            }

            @Override
            public void dequeued(int depth, long waitedNanos) {
            }
        };
    }
}
