package io.reloader.queue;

import java.util.List;

/** Told each time a key's attempt failed and the key is requeued with backoff (for counts and Events). */
@FunctionalInterface
public interface FailureListener<K, I> {
    /**
     * @param failures consecutive failures of the key so far, counting this one
     * @param retryIn  how long until the next attempt
     */
    void retrying(K key, List<I> items, String reason, int failures, java.time.Duration retryIn);

    static <K, I> FailureListener<K, I> none() {
        return (key, items, reason, failures, retryIn) -> {
        };
    }
}
