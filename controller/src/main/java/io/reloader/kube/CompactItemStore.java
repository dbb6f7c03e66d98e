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
    /** The same serialization when it reads and writes bytes directly (the controller's clients' does). */
    private final BytesSerialization bytes;

    public CompactItemStore(Class<T> type, KubernetesSerialization serialization) {
        this.type = type;
        this.serialization = serialization;
        this.bytes = serialization instanceof BytesSerialization b ? b : null;
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

    /**
     * Every object, parsed one at a time as the iteration reaches it: a pass over thousands of cached workloads
     * holds one of them parsed, not all. Weakly consistent, like the map under it; each iteration parses anew.
     */
    public java.util.Collection<T> parsedView() {
        return new java.util.AbstractCollection<>() {
            @Override
            public java.util.Iterator<T> iterator() {
                java.util.Iterator<byte[]> json = items.values().iterator();
                return new java.util.Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return json.hasNext();
                    }

                    @Override
                    public T next() {
                        return decode(json.next());
                    }
                };
            }

            @Override
            public int size() {
                return items.size();
            }
        };
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
            return toJson(obj);
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
        return toJson(tree);
    }

    private byte[] toJson(Object value) {
        return bytes != null ? bytes.toJsonBytes(value) : serialization.asJson(value).getBytes(StandardCharsets.UTF_8);
    }

    private T decode(byte[] json) {
        if (json == null) {
            return null;
        }
        return bytes != null ? bytes.fromJsonBytes(json, type)
                : serialization.unmarshal(new String(json, StandardCharsets.UTF_8), type);
    }
}
