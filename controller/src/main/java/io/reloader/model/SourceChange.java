package io.reloader.model;

import java.util.HashSet;
import java.util.Set;

/**
 * A detected data change of one source, reduced to what the decision needs. It never carries the data:
 * only its hash, per-key digests, and the two source annotations the decision reads, already evaluated.
 *
 * @param hash        the docs/compatibility.md#hash hash of the new data (for deletes: the hash it had, or empty)
 * @param ignored     the source's ignore annotation is exactly {@code true}
 * @param matched     the source's match annotation is exactly {@code true}
 * @param keys        digests of the new data's keys, or null when not known (key precision then sees every key)
 * @param changedKeys the keys added, removed or changed, or null when not known; for reports only, never for the
 *                    decision (a burst coalesced into its last change would lose the earlier keys)
 * @param before      the source's state before the first change of the burst this change ends, or null when not
 *                    known: what a workload that carries no marker for the source was started with
 * @param cause       for the reports only: the changed keys' names and the field managers that wrote them
 */
public record SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched,
                           KeyDigests keys, Set<String> changedKeys, Prior before, ReloadCause cause) {

    /** A source's state as hashes: the whole hash and the per-key digests (null when not known). */
    public record Prior(String hash, KeyDigests keys) {
    }

    public SourceChange {
        cause = cause == null ? ReloadCause.UNKNOWN : cause;
    }

    public SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched) {
        this(ref, type, hash, ignored, matched, null, null, null, null);
    }

    public SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched,
                        KeyDigests keys, Set<String> changedKeys) {
        this(ref, type, hash, ignored, matched, keys, changedKeys, null, null);
    }

    public SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched,
                        KeyDigests keys, Set<String> changedKeys, Prior before) {
        this(ref, type, hash, ignored, matched, keys, changedKeys, before, null);
    }

    public SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched,
                        KeyDigests keys, Set<String> changedKeys, ReloadCause cause) {
        this(ref, type, hash, ignored, matched, keys, changedKeys, null, cause);
    }

    /** The same change, written with another hash (a key-scoped one). */
    public SourceChange withHash(String newHash) {
        return new SourceChange(ref, type, newHash, ignored, matched, keys, changedKeys, before, cause);
    }

    /**
     * The same change as the source's current state has it: a decision made later than the event (coalesced,
     * deferred, retried, replayed) is made on what the source holds now. A source that exists is an update.
     */
    public SourceChange withCurrentState(String currentHash, KeyDigests currentKeys, boolean nowIgnored,
                                         boolean nowMatched) {
        ChangeType t = type == ChangeType.DELETED ? ChangeType.UPDATED : type;
        return new SourceChange(ref, t, currentHash, nowIgnored, nowMatched, currentKeys, changedKeys, before, cause);
    }

    /**
     * A later change of the same source that replaces {@code earlier} in a burst: the later one holds the state,
     * the earlier one the state before the burst; the reports name the keys and managers of both.
     */
    public static SourceChange merge(SourceChange earlier, SourceChange later) {
        Set<String> changed = null;
        if (earlier.changedKeys != null && later.changedKeys != null) {
            changed = new HashSet<>(earlier.changedKeys);
            changed.addAll(later.changedKeys);
        }
        return new SourceChange(later.ref, later.type, later.hash, later.ignored, later.matched, later.keys, changed,
                earlier.before, earlier.cause.and(later.cause));
    }
}
