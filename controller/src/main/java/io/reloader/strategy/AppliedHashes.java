package io.reloader.strategy;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.reloader.config.GoJson;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The per-source record of applied hashes (docs/compatibility.md#idempotent-marker), kept in the workload metadata annotation
 * {@code reloader.stakater.com/applied-hashes} as compact JSON {@code {"TYPE/name":"hash"}}. It lets the
 * annotations strategy skip writes that would change nothing but {@code observedAt}, for every source and not
 * only the last one the marker names.
 */
public final class AppliedHashes {
    private final TreeMap<String, String> hashes;

    private AppliedHashes(TreeMap<String, String> hashes) {
        this.hashes = hashes;
    }

    public static AppliedHashes parse(String json) {
        TreeMap<String, String> map = new TreeMap<>();
        if (json != null && !json.isEmpty()) {
            try {
                Map<?, ?> parsed = Serialization.unmarshal(json, Map.class);
                parsed.forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
            } catch (RuntimeException e) {
                // A mangled record only costs one redundant write; it is rewritten below.
            }
        }
        return new AppliedHashes(map);
    }

    public Optional<String> get(SourceRef ref) {
        return Optional.ofNullable(hashes.get(ref.recordKey()));
    }

    public void put(SourceRef ref, String hash) {
        hashes.put(ref.recordKey(), hash);
    }

    /**
     * The template already carries {@code hash} for the source but the record names another one (the owner undid
     * our write and the source came back to what the template holds): the record follows the template, or the
     * source's next change back to the recorded hash would be taken as already applied. A source the record never
     * named stays unrecorded, so a workload Reloader rolled before the swap costs no write.
     */
    public void repair(SourceRef ref, String hash) {
        hashes.computeIfPresent(ref.recordKey(), (k, old) -> hash);
    }

    public void remove(SourceRef ref) {
        hashes.remove(ref.recordKey());
    }

    /** The recorded sources (of the given namespace) and their hashes; unparseable keys are skipped. */
    public Map<SourceRef, String> entries(String namespace) {
        Map<SourceRef, String> out = new java.util.LinkedHashMap<>();
        hashes.forEach((k, v) -> {
            int slash = k.indexOf('/');
            if (slash > 0) {
                try {
                    out.put(new SourceRef(SourceType.valueOf(k.substring(0, slash)), namespace, k.substring(slash + 1)), v);
                } catch (IllegalArgumentException e) {
                    // not a type we know: ignore the entry
                }
            }
        });
        return out;
    }

    /**
     * The {@code metadata} of a merge patch that writes only this annotation: one key, never the map planned from
     * a cached copy. With {@code resourceVersion} (may be null) the write fails with 409 if the object changed.
     */
    public static Map<String, Object> metadataPatch(String resourceVersion, String recordJson) {
        Map<String, Object> metadata = new java.util.LinkedHashMap<>();
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        metadata.put("annotations", Map.of(io.reloader.config.AnnotationKeys.APPLIED_HASHES, recordJson));
        return metadata;
    }

    public String toJson() {
        StringBuilder out = new StringBuilder("{");
        hashes.forEach((k, v) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(GoJson.quote(k)).append(':').append(GoJson.quote(v));
        });
        return out.append('}').toString();
    }
}
