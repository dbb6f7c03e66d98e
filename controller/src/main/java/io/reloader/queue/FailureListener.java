package io.reloader.queue;

import java.util.List;

/** Told when a handler threw unexpectedly: before each retry, and once more when the queue gives up. */
public interface FailureListener<K, I> {
    /**
     * @param attempt   the handler run that failed, counting from 1
     * @param givingUp  true after the last attempt: the items are dropped and must be reported as failed
     */
    void failed(K key, List<I> items, RuntimeException error, int attempt, boolean givingUp);

    static <K, I> FailureListener<K, I> none() {
        return (key, items, error, attempt, givingUp) -> {
        };
    }
}
