package io.reloader.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * fabric8's serialization, plus JSON read from and written to bytes with the same configured mapper. Its own
 * {@code unmarshal} takes a String or a stream: a cached object read back cost a String copy of its JSON, an
 * 8 KiB stream buffer and an 8 KiB parser buffer, several times per workload at start-up.
 */
public class BytesSerialization extends KubernetesSerialization {
    // Set by configureMapper, which the super constructor calls: no initializer, or it would be reset to null.
    private ObjectMapper configured;

    public BytesSerialization(ObjectMapper mapper) {
        super(mapper, true);
    }

    @Override
    protected ObjectMapper configureMapper(ObjectMapper mapper) {
        configured = super.configureMapper(mapper);
        return configured;
    }

    /** The object as JSON bytes, as {@code asJson} would give them. */
    public byte[] toJsonBytes(Object value) {
        try {
            return configured.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new KubernetesClientException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Parses JSON bytes straight from the array, as {@code unmarshal(String, type)} would. */
    public <T> T fromJsonBytes(byte[] json, Class<T> type) {
        try {
            return configured.readValue(json, type);
        } catch (JacksonException e) {
            throw new KubernetesClientException("cannot read " + type.getSimpleName() + " from JSON", e);
        }
    }
}
