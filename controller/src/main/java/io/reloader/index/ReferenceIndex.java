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
 * Who may reload when a source changes (docs/compatibility.md#indexed-lookup): an index from each referenced source to the workloads that
 * reference it, plus, per namespace, the workloads with a named reload annotation (named patterns match
 * sources they do not reference). Auto, search and auto-reload-all need a reference, so the two sets cover
 * every workload the decision could pick. With {@code --reload-on-serviceaccount-change} each workload is also
 * indexed under the ServiceAccount its pod template runs as ({@code default} when it names none). Fed by the
 * workload informers; no LIST per change.
 */
public final class ReferenceIndex {
    private final AnnotationKeys keys;
    private final boolean serviceAccounts;
    /** A source → the one workload that references it (most sources), or a set of them. */
    private final Map<SourceRef, Object> byReference = new HashMap<>();
    private final Map<String, Map<SourceType, Set<WorkloadKey>>> namedByNamespace = new HashMap<>();
    private final Map<WorkloadKey, Entry> entries = new HashMap<>();

    private record Entry(Set<SourceRef> refs, Set<SourceType> namedTypes) {
    }

    public ReferenceIndex(AnnotationKeys keys) {
        this(keys, false);
    }

    /** @param serviceAccounts index workloads by (namespace, ServiceAccount) too */
    public ReferenceIndex(AnnotationKeys keys, boolean serviceAccounts) {
        this.keys = keys;
        this.serviceAccounts = serviceAccounts;
    }

    public synchronized void upsert(WorkloadView workload) {
        remove(workload.key());
        WorkloadKey key = workload.key();
        Set<SourceRef> refs = new HashSet<>();
        for (References.Ref r : References.of(workload.podSpec())) {
            refs.add(new SourceRef(r.type(), key.namespace(), r.name()));
        }
        if (serviceAccounts) {
            refs.add(new SourceRef(SourceType.SERVICEACCOUNT, key.namespace(),
                    References.serviceAccount(workload.podSpec())));
        }
        Set<SourceType> namedTypes = new HashSet<>();
        for (SourceType t : SourceType.values()) {
            String reloadKey = keys.reloadKey(t);
            if (reloadKey != null && (workload.metadataAnnotations().containsKey(reloadKey)
                    || workload.templateAnnotations().containsKey(reloadKey))) {
                namedTypes.add(t);
            }
        }
        refs.forEach(r -> byReference.merge(r, key, ReferenceIndex::plus));
        namedTypes.forEach(t -> namedByNamespace.computeIfAbsent(key.namespace(), x -> new HashMap<>())
                .computeIfAbsent(t, x -> new HashSet<>()).add(key));
        entries.put(key, new Entry(Set.copyOf(refs), Set.copyOf(namedTypes))); // compact, for thousands of workloads
    }

    public synchronized void remove(WorkloadKey key) {
        Entry old = entries.remove(key);
        if (old == null) {
            return;
        }
        for (SourceRef r : old.refs()) {
            byReference.computeIfPresent(r, (ref, held) -> minus(held, key));
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
        Set<WorkloadKey> result = new HashSet<>();
        Object held = byReference.get(source);
        if (held instanceof WorkloadKey one) {
            result.add(one);
        } else if (held instanceof Set<?> many) {
            many.forEach(k -> result.add((WorkloadKey) k));
        }
        result.addAll(namedByNamespace.getOrDefault(source.namespace(), Map.of()).getOrDefault(source.type(), Set.of()));
        return result;
    }

    /** A workload added to what a source holds: one key stays a key, a second makes a set. */
    @SuppressWarnings("unchecked")
    private static Object plus(Object held, Object key) {
        if (held instanceof WorkloadKey one) {
            if (one.equals(key)) {
                return one;
            }
            Set<WorkloadKey> set = new HashSet<>(4);
            set.add(one);
            set.add((WorkloadKey) key);
            return set;
        }
        ((Set<WorkloadKey>) held).add((WorkloadKey) key);
        return held;
    }

    /** A workload removed; null (the source is dropped from the map) when none is left. */
    @SuppressWarnings("unchecked")
    private static Object minus(Object held, WorkloadKey key) {
        if (held instanceof WorkloadKey one) {
            return one.equals(key) ? null : one;
        }
        Set<WorkloadKey> set = (Set<WorkloadKey>) held;
        set.remove(key);
        if (set.size() == 1) {
            return set.iterator().next();
        }
        return set.isEmpty() ? null : set;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Keys held in the lookup maps (sources plus namespaces); for tests that check nothing is left behind. */
    synchronized int lookupKeys() {
        return byReference.size() + namedByNamespace.size();
    }
}
