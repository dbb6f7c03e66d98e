package io.reloader.strategy;

import io.reloader.config.AnnotationKeys;
import io.reloader.hash.SourceHasher;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;

import java.util.List;
import java.util.Optional;

/**
 * Writes {@code reloader.stakater.com/last-reloaded-from} on the pod template (docs/compatibility.md#strategies). Unlike Reloader it
 * does not write when the workload already records the same hash for the source (docs/compatibility.md#idempotent-marker), so retries, replays
 * and restarts never roll a workload again.
 */
public final class AnnotationStrategy implements ReloadStrategy {
    /** Hash written for delete events (docs/compatibility.md#hash, E6). */
    public static final String DELETE_MARKER_HASH = SourceHasher.sha1Hex("__RELOADER_EMPTY_DELETE_MARKER__");

    @Override
    public boolean apply(TemplatePatch patch, AppliedHashes record, SourceChange change, String container,
                         long nowSeconds) {
        String hash = change.type() == ChangeType.DELETED ? DELETE_MARKER_HASH : change.hash();
        if (record.get(change.ref()).filter(hash::equals).isPresent()) {
            return false;
        }
        if (markerHolds(patch, change, hash)) {
            record.repair(change.ref(), hash);
            return false;
        }
        ReloadedFromMarker marker = new ReloadedFromMarker(change.ref().type(), change.ref().name(),
                change.ref().namespace(), hash, List.of(container), nowSeconds);
        patch.setTemplateAnnotation(AnnotationKeys.LAST_RELOADED_FROM, marker.toJson());
        record.put(change.ref(), hash);
        return true;
    }

    /** The marker already names this source with this hash (e.g. written by Reloader before the swap). */
    private static boolean markerHolds(TemplatePatch patch, SourceChange change, String hash) {
        Optional<ReloadedFromMarker> marker = patch.templateAnnotation(AnnotationKeys.LAST_RELOADED_FROM)
                .flatMap(ReloadedFromMarker::parse);
        return marker.filter(m -> m.type() == change.ref().type() && m.name().equals(change.ref().name())
                && m.namespace().equals(change.ref().namespace()) && m.hash().equals(hash)).isPresent();
    }
}
