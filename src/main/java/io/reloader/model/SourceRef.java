package io.reloader.model;

/** Identifies one ConfigMap, Secret or SecretProviderClass. */
public record SourceRef(SourceType type, String namespace, String name) {
    /** The key used in the applied-hashes record: {@code TYPE/name}. */
    public String recordKey() {
        return type.name() + "/" + name;
    }

    @Override
    public String toString() {
        return type + " " + namespace + "/" + name;
    }
}
