package io.reloader.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds what arrives before the controller can act on it (source changes seen while the workloads are still
 * being listed, for sources and workloads are listed at the same time), then hands it on in arrival order;
 * after {@link #release()} everything passes straight through. {@code next} must not block.
 */
final class StartupHold<T> implements Consumer<T> {
    private final Consumer<T> next;
    private List<T> held = new ArrayList<>();

    StartupHold(Consumer<T> next) {
        this.next = next;
    }

    @Override
    public synchronized void accept(T item) {
        if (held != null) {
            held.add(item);
        } else {
            next.accept(item);
        }
    }

    /** Hands on what was held, in order; under the lock, so nothing that arrives meanwhile can overtake it. */
    synchronized void release() {
        if (held == null) {
            return;
        }
        List<T> items = held;
        held = null;
        items.forEach(next);
    }
}
