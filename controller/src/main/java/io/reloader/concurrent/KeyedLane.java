package io.reloader.concurrent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs tasks on one background thread, in order, so callers on informer or event-loop threads never block on API
 * calls. A task submitted under a key that is still waiting replaces the waiting one (only the latest matters, as
 * for a source's change), so the backlog is bounded by the number of distinct keys, never by the event rate.
 */
public final class KeyedLane<K> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyedLane.class);

    private final LinkedHashMap<K, Runnable> waiting = new LinkedHashMap<>();
    private final Thread thread;
    private boolean running;
    private boolean closed;

    public KeyedLane(String threadName) {
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the task, replacing one still waiting under the same key; ignored once closed. */
    public synchronized void submit(K key, Runnable task) {
        if (closed) {
            return;
        }
        waiting.remove(key); // re-insert: the latest goes to the back, behind keys that waited longer
        waiting.put(key, task);
        notifyAll();
    }

    /** True when nothing waits and nothing runs. */
    public synchronized boolean idle() {
        return waiting.isEmpty() && !running;
    }

    private void loop() {
        while (true) {
            Runnable task;
            synchronized (this) {
                running = false;
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                Iterator<Map.Entry<K, Runnable>> first = waiting.entrySet().iterator();
                task = first.next().getValue();
                first.remove();
                running = true;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Background task failed: {}", e.toString());
                LOG.debug("Background task failed", e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            waiting.clear();
            notifyAll();
        }
        thread.interrupt();
    }
}
