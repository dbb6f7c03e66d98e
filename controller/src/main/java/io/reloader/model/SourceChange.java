package io.reloader.model;

import java.util.Set;

/**
 * A detected data change of one source, reduced to what the decision needs. It never carries the data:
 * only its hash, per-key digests, and the two source annotations the decision reads, already evaluated.
 *
 * @param hash        the §5 hash of the new data (for deletes: the hash it had, or empty)
 * @param ignored     the source's ignore annotation is exactly {@code true}
 * @param matched     the source's match annotation is exactly {@code true}
 * @param keys        digests of the new data's keys, or null when not known (key precision then sees every key)
 * @param changedKeys the keys added, removed or changed, or null when not known (every key counts as changed)
 */
public record SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched,
                           KeyDigests keys, Set<String> changedKeys) {

    public SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched) {
        this(ref, type, hash, ignored, matched, null, null);
    }

    /** The same change, written with another hash (a key-scoped one). */
    public SourceChange withHash(String newHash) {
        return new SourceChange(ref, type, newHash, ignored, matched, keys, changedKeys);
    }
}
