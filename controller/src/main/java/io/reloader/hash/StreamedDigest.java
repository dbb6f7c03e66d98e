package io.reloader.hash;

import io.reloader.model.KeyDigests;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a source hashed while its list page was read ({@link SourceListDigester}) carries its digests on to the
 * parsed object: under a property whose name holds a random word chosen at start, so no object an API server
 * returns can carry one of its own. Its value is {@code {"hash": "…", "keys": {"key": "16 hex digits", …}}}.
 */
public final class StreamedDigest {
    /** The property's name in this process. */
    public static final String PROPERTY = "io.reloader/streamed-digest-" + nonce();

    private StreamedDigest() {
    }

    private static String nonce() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The digests a streamed source carries (from its additional properties), or null when it was parsed whole. */
    static SourceHasher.Digests of(Map<String, Object> additionalProperties) {
        Object value = additionalProperties == null ? null : additionalProperties.get(PROPERTY);
        if (!(value instanceof Map<?, ?> map) || !(map.get("hash") instanceof String hash)) {
            return null;
        }
        TreeMap<String, Long> keys = new TreeMap<>();
        if (map.get("keys") instanceof Map<?, ?> perKey) {
            perKey.forEach((k, v) -> keys.put(String.valueOf(k), Long.parseUnsignedLong(String.valueOf(v), 16)));
        }
        return new SourceHasher.Digests(hash, SourceHasher.toKeyDigests(keys));
    }

    /** The per-key digests as the property writes them. */
    static Map<String, String> keysOf(KeyDigests digests) {
        TreeMap<String, String> keys = new TreeMap<>();
        for (int i = 0; i < digests.keys().length; i++) {
            keys.put(digests.keys()[i], Long.toHexString(digests.digests()[i]));
        }
        return keys;
    }
}
