package io.reloader.model;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A short digest of each key of a source's data (data and binaryData): enough to tell which keys changed and to
 * hash a subset of keys, never the data. Keys sorted; arrays instead of a map per source keep it small.
 */
public record KeyDigests(String[] keys, long[] digests) {

    public static final KeyDigests NONE = new KeyDigests(new String[0], new long[0]);

    /** The digest of a key, or null when the source has no such key. */
    public Long digest(String key) {
        int i = Arrays.binarySearch(keys, key);
        return i < 0 ? null : digests[i];
    }

    /** Keys added, removed or with another digest than in {@code previous} (all keys when it is unknown). */
    public Set<String> changedFrom(KeyDigests previous) {
        Set<String> changed = new HashSet<>();
        if (previous == null) {
            changed.addAll(Arrays.asList(keys));
            return changed;
        }
        for (int i = 0; i < keys.length; i++) {
            Long before = previous.digest(keys[i]);
            if (before == null || before != digests[i]) {
                changed.add(keys[i]);
            }
        }
        for (String key : previous.keys()) {
            if (digest(key) == null) {
                changed.add(key);
            }
        }
        return changed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyDigests k && Arrays.equals(keys, k.keys) && Arrays.equals(digests, k.digests);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(keys) + Arrays.hashCode(digests);
    }

    @Override
    public String toString() {
        return "KeyDigests" + Arrays.toString(keys);
    }
}
