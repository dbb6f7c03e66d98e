package io.reloader.index;

import io.reloader.config.AnnotationKeys;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.spec.References;
import io.reloader.spec.WorkloadView;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who may reload when a source changes (spec I4): an index from each referenced source to the workloads that
 * reference it, plus, per namespace, the workloads with a named reload annotation (named patterns match
 * sources they do not reference). Auto, search and auto-reload-all need a reference, so the two sets cover
 * every workload the decision could pick. Fed by the workload informers; no LIST per change.
 */
public final class ReferenceIndex {
    private final AnnotationKeys keys;
    private final Map<SourceRef, Set<WorkloadKey>> byReference = new HashMap<>();
    private final Map<String, Map<SourceType, Set<WorkloadKey>>> namedByNamespace = new HashMap<>();
    private final Map<WorkloadKey, Entry> entries = new HashMap<>();

    private record Entry(Set<SourceRef> refs, Set<SourceType> namedTypes) {
    }

    public ReferenceIndex(AnnotationKeys keys) {
        this.keys = keys;
    }

    public synchronized void upsert(WorkloadView workload) {
        remove(workload.key());
        WorkloadKey key = workload.key();
        Set<SourceRef> refs = new HashSet<>();
        for (References.Ref r : References.of(workload.podSpec())) {
            refs.add(new SourceRef(r.type(), key.namespace(), r.name()));
        }
        Set<SourceType> namedTypes = new HashSet<>();
        for (SourceType t : SourceType.values()) {
            String reloadKey = keys.reloadKey(t);
            if (workload.metadataAnnotations().containsKey(reloadKey)
                    || workload.templateAnnotations().containsKey(reloadKey)) {
                namedTypes.add(t);
            }
        }
        refs.forEach(r -> byReference.computeIfAbsent(r, x -> new HashSet<>()).add(key));
        namedTypes.forEach(t -> namedByNamespace.computeIfAbsent(key.namespace(), x -> new HashMap<>())
                .computeIfAbsent(t, x -> new HashSet<>()).add(key));
        entries.put(key, new Entry(refs, namedTypes));
    }

    public synchronized void remove(WorkloadKey key) {
        Entry old = entries.remove(key);
        if (old == null) {
            return;
        }
        for (SourceRef r : old.refs()) {
            Set<WorkloadKey> set = byReference.get(r);
            if (set != null && set.remove(key) && set.isEmpty()) {
                byReference.remove(r);
            }
        }
        Map<SourceType, Set<WorkloadKey>> named = namedByNamespace.get(key.namespace());
        if (named != null) {
            old.namedTypes().forEach(t -> {
                Set<WorkloadKey> set = named.get(t);
                if (set != null && set.remove(key) && set.isEmpty()) {
                    named.remove(t);
                }
            });
            if (named.isEmpty()) {
                namedByNamespace.remove(key.namespace());
            }
        }
    }

    /** Workloads that reference the source or may match it by name. */
    public synchronized Set<WorkloadKey> candidates(SourceRef source) {
        Set<WorkloadKey> result = new HashSet<>(byReference.getOrDefault(source, Set.of()));
        result.addAll(namedByNamespace.getOrDefault(source.namespace(), Map.of()).getOrDefault(source.type(), Set.of()));
        return result;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Keys held in the lookup maps (sources plus namespaces); for tests that check nothing is left behind. */
    synchronized int lookupKeys() {
        return byReference.size() + namedByNamespace.size();
    }
}
