package io.reloader.model;

/** Identifies one ConfigMap, Secret or SecretProviderClass. */
public record SourceRef(SourceType type, String namespace, String name) {
    /** Namespaces are few and kept once: tens of thousands of refs would otherwise each hold a copy. */
    public SourceRef {
        namespace = namespace == null ? null : namespace.intern();
    }

    /** The key used in the applied-hashes record: {@code TYPE/name}. */
    public String recordKey() {
        return type.name() + "/" + name;
    }

    @Override
    public String toString() {
        return type + " " + namespace + "/" + name;
    }
}
