package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.reloader.index.WorkloadFinder;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.KeyScope;
import io.reloader.spec.WorkloadView;
import io.reloader.strategy.Markers;
import io.reloader.watch.ChangeDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the controller works out from workloads' markers: changes it missed while down, and who reverted it. */
final class CatchUp {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private CatchUp() {
    }

    /**
     * Changes made while no controller was running: each workload that carries a marker (ours or Reloader's) with
     * an older hash than its source has now gets that source's current state, once; current workloads get nothing.
     */
    static List<Map.Entry<WorkloadKey, SourceChange>> missedChanges(Collection<WorkloadKind> kinds,
            WorkloadFinder lookup, Function<SourceRef, ChangeDetector.SourceState> sources, KeyScope keyScope) {
        List<Map.Entry<WorkloadKey, SourceChange>> missed = new ArrayList<>();
        for (WorkloadKind kind : kinds) {
            for (HasMetadata w : lookup.all(kind)) {
                HasMetadata workload = lookup.effective(w);
                WorkloadView view = WorkloadView.of(workload);
                WorkloadKey key = view.key();
                Markers.carried(workload).forEach((ref, carriedHash) -> {
                    ChangeDetector.SourceState now = sources.apply(ref);
                    // Compared with what this workload should carry: the whole source's hash, or its keys' hash.
                    if (now == null || keyScope.expectedHash(view, ref, now.hash(), now.keys()).equals(carriedHash)) {
                        return;
                    }
                    LOG.info("'{}' of type '{}' in namespace '{}' changed while Reloader was not running; "
                            + "reloading '{}' of type '{}'", ref.name(), ref.type().name(), ref.namespace(),
                            key.name(), kind.kindName());
                    missed.add(Map.entry(key, new SourceChange(ref, ChangeType.UPDATED, now.hash(), now.ignored(),
                            now.matched(), now.keys(), null)));
                });
                // Reloads held for a reload window before the restart: hold (or run) them again.
                held(workload).forEach(ref -> {
                    ChangeDetector.SourceState now = sources.apply(ref);
                    if (now != null && missed.stream().noneMatch(m -> m.getKey().equals(key) && m.getValue().ref().equals(ref))) {
                        missed.add(Map.entry(key, new SourceChange(ref, ChangeType.UPDATED, now.hash(), now.ignored(),
                                now.matched(), now.keys(), null)));
                    }
                });
            }
        }
        return missed;
    }

    private static java.util.Set<SourceRef> held(HasMetadata workload) {
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        String record = annotations == null ? null : annotations.get(io.reloader.config.AnnotationKeys.HELD_RELOADS);
        return record == null ? java.util.Set.of()
                : io.reloader.strategy.AppliedHashes.parse(record).entries(workload.getMetadata().getNamespace()).keySet();
    }

    /** The field manager, other than ours, that wrote to the workload last, when the API tells us. */
    static String lastOtherManager(HasMetadata workload, String ours) {
        var fields = workload.getMetadata().getManagedFields();
        if (fields == null) {
            return null;
        }
        return fields.stream().filter(f -> f.getManager() != null && !f.getManager().equals(ours))
                .max(Comparator.comparing((ManagedFieldsEntry f) -> f.getTime() == null ? "" : f.getTime()))
                .map(ManagedFieldsEntry::getManager).orElse(null);
    }
}
