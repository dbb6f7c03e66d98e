package io.reloader.it;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays the kubelet and the ReplicaSet controller for eviction tests: each name {@link #evicted} is handed, on a
 * thread of its own, to {@code replace}, which deletes the evicted pod and starts its Ready replacement.
 */
final class FakeKubelet implements AutoCloseable {
    private final BlockingQueue<String> evicted = new LinkedBlockingQueue<>();
    private volatile boolean running = true;
    private Thread thread;

    /** An eviction the API server accepted. */
    void evicted(String name) {
        evicted.add(name);
    }

    /** Starts handing evictions to {@code replace}, in the order they were accepted. */
    void start(Consumer<String> replace) {
        thread = new Thread(() -> {
            while (running) {
                try {
                    String name = evicted.poll(100, TimeUnit.MILLISECONDS);
                    if (name != null) {
                        replace.accept(name);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-kubelet");
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5000);
        }
    }
}
