package io.reloader.model;

/**
 * A detected data change of one source, reduced to what the decision needs. It never carries the data:
 * only its hash, and the two source annotations the decision reads, already evaluated.
 *
 * @param hash          the §5 hash of the new data (for deletes: the hash it had, or empty)
 * @param ignored       the source's ignore annotation is exactly {@code true}
 * @param matched       the source's match annotation is exactly {@code true}
 */
public record SourceChange(SourceRef ref, ChangeType type, String hash, boolean ignored, boolean matched) {
}
