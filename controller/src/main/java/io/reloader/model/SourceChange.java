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
 * @param cause       for the reports only: the changed keys' names and the field managers that wrote them
 */
public record SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched,
                           KeyDigests keys, Set<String> changedKeys, ReloadCause cause) {

    public SourceChange {
        cause = cause == null ? ReloadCause.UNKNOWN : cause;
    }

    public SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched) {
        this(ref, type, hash, ignored, matched, null, null, null);
    }

    public SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched,
                        KeyDigests keys, Set<String> changedKeys) {
        this(ref, type, hash, ignored, matched, keys, changedKeys, null);
    }

    /** The same change, written with another hash (a key-scoped one). */
    public SourceChange withHash(String newHash) {
        return new SourceChange(ref, type, newHash, ignored, matched, keys, changedKeys, cause);
    }

    /**
     * A later change of the same source that replaces {@code earlier} in a burst: the later change decides (its
     * state is current), and the report names the keys and managers of both.
     */
    public static SourceChange merge(SourceChange earlier, SourceChange later) {
        return new SourceChange(later.ref, later.type, later.hash, later.ignored, later.matched, later.keys,
                later.changedKeys, earlier.cause.and(later.cause));
    }
}
