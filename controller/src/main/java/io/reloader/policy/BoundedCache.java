package io.reloader.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used cache bounded by an estimate of the bytes its entries hold, not by their number: one
 * entry for a huge annotation value weighs what it costs. A value heavier than the whole budget is not kept.
 */
final class BoundedCache<K, V> {
    private final long maxBytes;
    private final ToLongFunction<V> weigher;
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    BoundedCache(long maxBytes, ToLongFunction<V> weigher) {
        this.maxBytes = maxBytes;
        this.weigher = weigher;
    }

    synchronized V get(K key) {
        return entries.get(key);
    }

    synchronized void put(K key, V value) {
        long weight = weigher.applyAsLong(value);
        if (weight > maxBytes) {
            return;
        }
        V old = entries.put(key, value);
        if (old != null) {
            bytes -= weigher.applyAsLong(old);
        }
        bytes += weight;
        var it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<K, V> eldest = it.next();
            bytes -= weigher.applyAsLong(eldest.getValue());
            it.remove();
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }
}
