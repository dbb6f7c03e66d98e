package io.reloader.hash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two data maps of the source {@link SourceListDigester} is reading, collected value by value and, at the
 * source's end, written as its digests (or, where a value is not base64, as they came). Decoded values are wiped
 * once hashed.
 */
final class SourceDataMaps {
    /** A value: the first {@code length} bytes of {@code bytes}, a buffer of {@link ValueBuffers} if pooled. */
    private record Value(byte[] bytes, int length, boolean pooled) {
        static Value of(byte[] bytes) {
            return new Value(bytes, bytes.length, false);
        }
    }

    private final SourceListDigester.Kind kind;
    private final SourceHasher hasher;
    private final ValueBuffers buffers;
    private final TreeMap<String, Value> first = new TreeMap<>();
    private final TreeMap<String, Value> second = new TreeMap<>();
    /** Values that are not base64 (no API server sends one), raw: the item keeps its maps as they came, unhashed. */
    private final Map<String, byte[]> undecodable = new LinkedHashMap<>();
    private boolean undecodableInSecond;
    private long bytes;

    SourceDataMaps(SourceListDigester.Kind kind, SourceHasher hasher, ValueBuffers buffers) {
        this.kind = kind;
        this.hasher = hasher;
        this.buffers = buffers;
    }

    /** Empty maps for the next source. */
    SourceDataMaps fresh() {
        return new SourceDataMaps(kind, hasher, buffers);
    }

    /** The size of the values read so far, as they came. */
    long bytes() {
        return bytes;
    }

    /** A value of the first map or the {@code inSecond}: its raw bytes between the quotes. */
    void put(boolean inSecond, String key, byte[] buf, int from, int to, boolean escaped) {
        bytes += to - from;
        TreeMap<String, Value> values = inSecond ? second : first;
        if (!(inSecond ? kind.secondBase64 : kind.firstBase64)) {
            release(values.put(key, Value.of(escaped ? JsonText.read(buf, from, to, true).getBytes(StandardCharsets.UTF_8)
                    : Arrays.copyOfRange(buf, from, to))));
            return;
        }
        Value decoded = decodeBase64(buf, from, to, escaped);
        if (decoded != null) {
            release(values.put(key, decoded));
        } else {
            undecodable.put(key, Arrays.copyOfRange(buf, from, to));
            undecodableInSecond = inSecond;
        }
    }

    /** A null value: hashed as an empty one, as the whole object hashes it. */
    void putEmpty(boolean inSecond, String key) {
        release((inSecond ? second : first).put(key, Value.of(new byte[0])));
    }

    /**
     * A value as base64, decoded as {@link SourceHasher} decodes a whole object's values ({@link Base64#getDecoder()},
     * so both paths accept the same values), straight from the bytes it came in; null where that fails.
     */
    private Value decodeBase64(byte[] buf, int from, int to, boolean escaped) {
        if (!escaped && to - from >= ValueBuffers.POOLED_FROM) {
            byte[] into = buffers.take(ValueBuffers.decodedCapacity(to - from));
            int length = ValueBuffers.decode(buf, from, to, into);
            if (length < 0) {
                buffers.give(into); // wiped by decode
                return null;
            }
            return new Value(into, length, true);
        }
        try {
            if (escaped) {
                return Value.of(Base64.getDecoder().decode(JsonText.read(buf, from, to, true)));
            }
            ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(buf, from, to - from));
            byte[] array = decoded.array();
            return Value.of(decoded.arrayOffset() == 0 && decoded.position() == 0 && decoded.remaining() == array.length
                    ? array : Arrays.copyOfRange(array, decoded.arrayOffset() + decoded.position(),
                    decoded.arrayOffset() + decoded.limit()));
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** Wipes a value no longer needed (one that a repeated key replaced, say) and gives its buffer back. */
    private void release(Value value) {
        if (value != null) {
            Wipe.zero(value.bytes(), value.length());
            if (value.pooled()) {
                buffers.give(value.bytes());
            }
        }
    }

    /** {@link #writeAndClear}'s members, on their own. */
    byte[] render() {
        RewrittenOutput members = new RewrittenOutput(Runnable::run, 256);
        writeAndClear(members);
        return members.take(true);
    }

    /**
     * The source's members in place of its maps (the caller has written the comma before them): its digests, or
     * its data as it came when some of it could not be decoded. Then empty for the next source.
     */
    void writeAndClear(RewrittenOutput out) {
        try {
            if (!undecodable.isEmpty()) {
                writeBack(out, kind.first, first, kind.firstBase64, undecodableInSecond ? Map.of() : undecodable);
                out.put((byte) ',');
                writeBack(out, kind.second, second, kind.secondBase64, undecodableInSecond ? undecodable : Map.of());
                return;
            }
            TreeMap<String, Value> merged = first;
            // Taken out one by one, so that a failure half-way releases each value once (in the finally below).
            for (Map.Entry<String, Value> e; (e = second.pollFirstEntry()) != null; ) {
                Value v = e.getValue();
                if (kind.secondBase64) {
                    try {
                        release(merged.put(e.getKey(), Value.of(base64(v))));
                    } finally {
                        release(v);
                    }
                } else {
                    release(merged.put(e.getKey(), v));
                }
            }
            List<DecodedEntry> entries = new ArrayList<>(merged.size());
            merged.forEach((k, v) -> entries.add(DecodedEntry.of(k, v.bytes(), v.length())));
            SourceHasher.Digests digests;
            try {
                digests = hasher.digestsOfDecoded(entries);
            } finally {
                // Wiped by the hasher: only the pooled buffers are left to give back.
                merged.values().forEach(v -> {
                    if (v.pooled()) {
                        buffers.give(v.bytes());
                    }
                });
                merged.clear();
            }
            JsonText.write(out, StreamedDigest.PROPERTY);
            out.put(":{\"hash\":");
            JsonText.write(out, digests.hash());
            out.put(",\"keys\":{");
            boolean more = false;
            for (Map.Entry<String, String> e : StreamedDigest.keysOf(digests.keys()).entrySet()) {
                more = member(out, more, e.getKey());
                JsonText.write(out, e.getValue());
            }
            out.put("}}");
        } finally {
            // What an undecodable value or a failure left: wiped here.
            first.values().forEach(this::release);
            second.values().forEach(this::release);
            undecodable.values().forEach(Wipe::zero);
            first.clear();
            second.clear();
            undecodable.clear();
        }
    }

    /** One data map as it came: the whole-object path then hashes it (and fails as it would have). */
    private static void writeBack(RewrittenOutput out, String name, Map<String, Value> values, boolean base64,
                                  Map<String, byte[]> raw) {
        JsonText.write(out, name);
        out.put(":{");
        boolean more = false;
        for (Map.Entry<String, Value> e : values.entrySet()) {
            more = member(out, more, e.getKey());
            Value v = e.getValue();
            JsonText.write(out, base64 ? new String(base64(v), StandardCharsets.ISO_8859_1)
                    : new String(v.bytes(), 0, v.length(), StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, byte[]> e : raw.entrySet()) {
            more = member(out, more, e.getKey());
            out.put((byte) '"');
            out.put(e.getValue(), 0, e.getValue().length); // as it came, escapes and all
            out.put((byte) '"');
        }
        out.put((byte) '}');
    }

    private static byte[] base64(Value v) {
        return Base64.getEncoder().encode(ByteBuffer.wrap(v.bytes(), 0, v.length())).array();
    }

    private static boolean member(RewrittenOutput out, boolean more, String name) {
        if (more) {
            out.put((byte) ',');
        }
        JsonText.write(out, name);
        out.put((byte) ':');
        return true;
    }
}
