package io.reloader.watch;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.reloader.hash.SourceHasher;
import io.reloader.model.KeyDigests;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The informer store of a source kind, where the data is hashed and dropped the moment an object arrives: the
 * store keeps a resource version (and labels, when a label selector needs them) per source; the object the
 * informer then queues for its handlers carries its digest instead of its data and no annotations but the two
 * the decision reads, and of its managedFields only the name of the manager that wrote the data. So neither the store nor the handler queue holds Secret data, however fast lists arrive.
 */
final class SourceItemStore<T extends HasMetadata> implements ItemStore<T> {
    /** A source's digests, computed from its data before the data was dropped. */
    record Digest(String hash, KeyDigests keys) {
    }

    /** How one source kind is hashed, emptied and rebuilt. */
    record Kind<T extends HasMetadata>(Function<T, SourceHasher.Digests> digester,
                                      java.util.function.BiConsumer<T, Digest> strip,
                                      Function<T, Digest> digestOf, Supplier<T> factory) {
    }

    /** Where a stripped object carries its digest. */
    private static final String DIGEST = "io.reloader/digest";

    /** ConfigMaps: hashed as Reloader does (data and binaryData), then both dropped. */
    static Kind<ConfigMap> configMaps(SourceHasher hasher) {
        return new Kind<>(hasher::digestsOfConfigMap, (cm, digest) -> {
            cm.setData(null);
            cm.setBinaryData(null);
            cm.setAdditionalProperty(DIGEST, digest);
        }, cm -> (Digest) cm.getAdditionalProperties().get(DIGEST), ConfigMap::new);
    }

    /** Secrets: hashed from the decoded data, then data and stringData dropped. */
    static Kind<Secret> secrets(SourceHasher hasher) {
        return new Kind<>(hasher::digestsOfSecret, (secret, digest) -> {
            secret.setData(null);
            secret.setStringData(null);
            secret.setAdditionalProperty(DIGEST, digest);
        }, secret -> (Digest) secret.getAdditionalProperties().get(DIGEST), Secret::new);
    }

    /** ServiceAccounts: hashed from the selected annotations; their secrets lists dropped (only those are kept). */
    static Kind<ServiceAccount> serviceAccounts(SourceHasher hasher, List<String> selected) {
        return new Kind<>(sa -> hasher.digestsOfAnnotations(sa.getMetadata().getAnnotations(), selected),
                (sa, digest) -> {
                    sa.setSecrets(null);
                    sa.setImagePullSecrets(null);
                    sa.setAdditionalProperty(DIGEST, digest);
                }, sa -> (Digest) sa.getAdditionalProperties().get(DIGEST), ServiceAccount::new);
    }

    private final Map<String, Object> items = new ConcurrentHashMap<>();
    private final Kind<T> kind;
    private final Set<String> keptAnnotations;
    private final boolean keepLabels;

    SourceItemStore(Kind<T> kind, Set<String> keptAnnotations, boolean keepLabels) {
        this.kind = kind;
        this.keptAnnotations = keptAnnotations;
        this.keepLabels = keepLabels;
    }

    /** The digest an object got when the store took it in. */
    Digest digestOf(T obj) {
        return kind.digestOf().apply(obj);
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        if (kind.digestOf().apply(obj) == null) {
            SourceHasher.Digests digests = kind.digester().apply(obj);
            Digest digest = new Digest(digests.hash(), digests.keys());
            kind.strip().accept(obj, digest);
            ObjectMeta meta = obj.getMetadata();
            // Only the name of the manager that wrote the data goes on to the handlers (to report who changed it).
            String writer = FieldManagers.writerOf(meta.getManagedFields());
            meta.setManagedFields(writer == null ? null
                    : List.of(new ManagedFieldsEntryBuilder().withManager(writer).build()));
            meta.setAnnotations(kept(meta.getAnnotations()));
        }
        return restore(key, items.put(key, state(obj.getMetadata())));
    }

    private Map<String, String> kept(Map<String, String> annotations) {
        if (annotations == null || annotations.isEmpty()) {
            return null;
        }
        Map<String, String> kept = null;
        for (String k : keptAnnotations) {
            String v = annotations.get(k);
            if (v != null) {
                if (kept == null) {
                    kept = new HashMap<>(2);
                }
                kept.put(k, v);
            }
        }
        return kept;
    }

    /**
     * The resource version (a Long: it is a number on etcd), with the labels when a selector needs them. The
     * informer compares versions to tell a real update from the same object seen again (a relist, a watch restart).
     */
    private Object state(ObjectMeta meta) {
        String rv = meta.getResourceVersion();
        Object version = rv;
        if (rv != null && !rv.isEmpty() && rv.length() < 19 && rv.chars().allMatch(Character::isDigit)) {
            version = Long.valueOf(rv);
        }
        return keepLabels ? new Labelled(version, meta.getLabels()) : version;
    }

    private record Labelled(Object version, Map<String, String> labels) {
    }

    @SuppressWarnings("unchecked")
    private T restore(String key, Object state) {
        if (state == null) {
            return null;
        }
        T obj = kind.factory().get();
        ObjectMeta meta = new ObjectMeta();
        int slash = key.indexOf('/');
        meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
        meta.setName(key.substring(slash + 1));
        Object version = state instanceof Labelled l ? l.version() : state;
        meta.setResourceVersion(version == null ? null : version.toString());
        if (state instanceof Labelled l) {
            meta.setLabels(l.labels());
        }
        obj.setMetadata(meta);
        return obj;
    }

    @Override
    public T remove(String key) {
        return restore(key, items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.entrySet().stream().map(e -> restore(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return restore(key, items.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }
}
