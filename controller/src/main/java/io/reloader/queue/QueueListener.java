package io.reloader.queue;

/** Observes the queue, for metrics. */
public interface QueueListener {
    void added(int depth);

    void dequeued(int depth, long waitedNanos);

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
