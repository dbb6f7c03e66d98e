package io.reloader.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store that keeps each object as compact JSON instead of an object graph, without the fields no
 * decision or write reads: managedFields and kubectl's last-applied-configuration (which repeats the whole
 * object). A workload as parsed objects costs ten times its JSON (every model object carries its own maps and
 * lists); it is parsed again only when read, which the controller does for the few workloads a change touches.
 */
public final class CompactItemStore<T extends HasMetadata> implements ItemStore<T> {
    static final String LAST_APPLIED = io.reloader.hash.SourceListDigester.LAST_APPLIED;

    private final Map<String, byte[]> items = new ConcurrentHashMap<>();
    private final Class<T> type;
    private final KubernetesSerialization serialization;

    public CompactItemStore(Class<T> type, KubernetesSerialization serialization) {
        this.type = type;
        this.serialization = serialization;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        return decode(items.put(key, encode(obj)));
    }

    @Override
    public T remove(String key) {
        return decode(items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream().map(this::decode);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return decode(items.get(key));
    }

    /** Everything but the dropped fields is kept, the resource version included. */
    @Override
    public boolean isFullState() {
        return true;
    }

    private byte[] encode(T obj) {
        ObjectMeta meta = obj.getMetadata();
        boolean managed = meta != null && meta.getManagedFields() != null && !meta.getManagedFields().isEmpty();
        boolean applied = meta != null && meta.getAnnotations() != null && meta.getAnnotations().containsKey(LAST_APPLIED);
        if (!managed && !applied) {
            return serialization.asJson(obj).getBytes(StandardCharsets.UTF_8);
        }
        // Dropped from a tree copy: the object itself goes on, unchanged, to the event handlers.
        ObjectNode tree = serialization.convertValue(obj, ObjectNode.class);
        JsonNode metadata = tree.get("metadata");
        if (metadata instanceof ObjectNode m) {
            m.remove("managedFields");
            if (m.get("annotations") instanceof ObjectNode annotations) {
                annotations.remove(LAST_APPLIED);
            }
        }
        return serialization.asJson(tree).getBytes(StandardCharsets.UTF_8);
    }

    private T decode(byte[] json) {
        return json == null ? null : serialization.unmarshal(new String(json, StandardCharsets.UTF_8), type);
    }
}
