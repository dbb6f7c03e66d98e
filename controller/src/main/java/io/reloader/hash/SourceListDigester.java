package io.reloader.hash;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.async.ByteBufferFeeder;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rewrites a Secret or ConfigMap list response, or a stream of their watch events, while it arrives, chunk by
 * chunk: each item's data maps are hashed as they are read and left out, with kubectl's last-applied copy (which
 * repeats the data); the digests go on under {@link StreamedDigest#PROPERTY}. So a list page costs the heap its
 * metadata and one source's values at a time, never the page's raw JSON and its parsed data at once: a page of
 * Helm release records (hundreds of KiB each) is otherwise tens of MB. Anything but the items (a Status, the
 * list's own metadata, an event's type) is copied as it is. One instance per response; not thread-safe (chunks
 * come in order).
 */
public final class SourceListDigester {
    /**
     * The two data maps of a kind, hashed as {@link SourceHasher} hashes the whole object; the second wins a key.
     * A base64 second map (binaryData) is hashed as its base64 text, as Reloader hashes it.
     */
    public enum Kind {
        /** data is base64 (hashed decoded), stringData text, merged over data as an API server merges it. */
        SECRET("data", true, "stringData", false),
        /** data is text; binaryData base64. */
        CONFIGMAP("data", false, "binaryData", true);

        final String first;
        final boolean firstBase64;
        final String second;
        final boolean secondBase64;

        Kind(String first, boolean firstBase64, String second, boolean secondBase64) {
            this.first = first;
            this.firstBase64 = firstBase64;
            this.second = second;
            this.secondBase64 = secondBase64;
        }
    }

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.nonRecyclingPool()).build();

    private enum Mode { COPY, FIRST, SECOND, SKIP_VALUE }

    private final Kind kind;
    private final SourceHasher hasher;
    private final JsonParser parser = JSON.createNonBlockingByteBufferParser(ObjectReadContext.empty());
    private final ByteBufferFeeder feeder = (ByteBufferFeeder) parser.nonBlockingInputFeeder();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    private final JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out);
    /** Open objects and arrays around the current token: 1 is the list (or watch event), 2 its items array. */
    private int depth;
    /** The depth inside the source being read (2 in a watch event's object, 3 in a list's item), 0 outside one. */
    private int itemDepth;
    /** The property being read at each depth (1 to 5), so a position is known without keeping the document. */
    private final String[] names = new String[6];
    private boolean itemsArray;
    private Mode mode = Mode.COPY;
    /** The waiting value is one of the two data maps (set by the property name before it). */
    private Mode pending;
    private String key;
    private final TreeMap<String, byte[]> first = new TreeMap<>();
    private final TreeMap<String, byte[]> second = new TreeMap<>();
    /** Values that are not base64 (no API server sends one): the item keeps its maps as they were, unhashed. */
    private final Map<String, String> undecodable = new LinkedHashMap<>();
    private boolean undecodableInSecond;

    public SourceListDigester(Kind kind, SourceHasher hasher) {
        this.kind = kind;
        this.hasher = hasher;
    }

    /** Takes the next chunk of the response; returns what of the rewritten response is complete so far. */
    public byte[] feed(ByteBuffer chunk) {
        feeder.feedInput(chunk);
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
            handle(token);
        }
        generator.flush();
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    private void handle(JsonToken token) {
        switch (mode) {
            case FIRST, SECOND -> collect(token);
            case SKIP_VALUE -> mode = Mode.COPY; // the annotation's value: a string, one token
            case COPY -> copy(token);
        }
    }

    private void copy(JsonToken token) {
        if (token == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            if (depth < names.length) {
                names[depth] = name;
            }
            if (itemDepth > 0 && depth == itemDepth && (name.equals(kind.first) || name.equals(kind.second))) {
                pending = name.equals(kind.first) ? Mode.FIRST : Mode.SECOND;
                return;
            }
            if (itemDepth > 0 && depth == itemDepth + 2 && "metadata".equals(names[itemDepth])
                    && "annotations".equals(names[itemDepth + 1]) && name.equals(LAST_APPLIED)) {
                mode = Mode.SKIP_VALUE;
                return;
            }
        } else if (pending != null) {
            Mode target = pending;
            pending = null;
            if (token == JsonToken.START_OBJECT) {
                mode = target;
                return;
            }
            if (token == JsonToken.VALUE_NULL) {
                return;
            }
            throw new IllegalStateException("a source's data is not an object: " + token);
        }
        if (token == JsonToken.END_OBJECT && itemDepth > 0 && depth == itemDepth) {
            writeDigest();
        }
        generator.copyCurrentEvent(parser);
        if (token.isStructStart()) {
            if (token == JsonToken.START_OBJECT && itemDepth == 0 && startsSource()) {
                itemDepth = depth + 1;
            }
            if (depth == 1) {
                itemsArray = token == JsonToken.START_ARRAY && "items".equals(names[1]);
            }
            depth++;
        } else if (token.isStructEnd()) {
            depth--;
            if (depth < itemDepth) {
                itemDepth = 0;
            }
        }
    }

    /** An object starting here is a source: a watch event's {@code object} or one of a list's {@code items}. */
    private boolean startsSource() {
        return depth == 1 && "object".equals(names[1]) || depth == 2 && itemsArray && "items".equals(names[1]);
    }

    /** Inside one of the data maps: names and values, until the object ends. */
    private void collect(JsonToken token) {
        boolean inSecond = mode == Mode.SECOND;
        TreeMap<String, byte[]> values = inSecond ? second : first;
        switch (token) {
            case PROPERTY_NAME -> key = parser.currentName();
            case VALUE_STRING -> {
                if (!(inSecond ? kind.secondBase64 : kind.firstBase64)) {
                    values.put(key, parser.getString().getBytes(StandardCharsets.UTF_8));
                } else {
                    try {
                        values.put(key, parser.getBinaryValue());
                    } catch (RuntimeException notBase64) {
                        undecodable.put(key, parser.getString());
                        undecodableInSecond = inSecond;
                    }
                }
            }
            case VALUE_NULL -> values.put(key, new byte[0]);
            case END_OBJECT -> mode = Mode.COPY;
            default -> throw new IllegalStateException("a source's data value is not a string: " + token);
        }
    }

    /** At the end of an item: its digests, or its data as it came when some of it could not be decoded. */
    private void writeDigest() {
        try {
            if (!undecodable.isEmpty()) {
                writeBack(kind.first, first, kind.firstBase64, undecodableInSecond ? Map.of() : undecodable);
                writeBack(kind.second, second, kind.secondBase64, undecodableInSecond ? undecodable : Map.of());
                return;
            }
            TreeMap<String, byte[]> merged = first;
            for (Map.Entry<String, byte[]> e : second.entrySet()) {
                byte[] v = e.getValue();
                merged.put(e.getKey(), kind.secondBase64 ? Base64.getEncoder().encode(v) : v);
            }
            SourceHasher.Digests digests = hasher.digestsOfDecoded(merged);
            generator.writeName(StreamedDigest.PROPERTY);
            generator.writeStartObject();
            generator.writeStringProperty("hash", digests.hash());
            generator.writeName("keys");
            generator.writeStartObject();
            for (Map.Entry<String, String> e : StreamedDigest.keysOf(digests.keys()).entrySet()) {
                generator.writeStringProperty(e.getKey(), e.getValue());
            }
            generator.writeEndObject();
            generator.writeEndObject();
        } finally {
            first.values().forEach(v -> Arrays.fill(v, (byte) 0));
            second.values().forEach(v -> Arrays.fill(v, (byte) 0));
            first.clear();
            second.clear();
            undecodable.clear();
        }
    }

    /** One data map as it came: the whole-object path then hashes it (and fails as it would have). */
    private void writeBack(String name, Map<String, byte[]> values, boolean base64, Map<String, String> raw) {
        generator.writeName(name);
        generator.writeStartObject();
        values.forEach((k, v) -> generator.writeStringProperty(k,
                base64 ? Base64.getEncoder().encodeToString(v) : new String(v, StandardCharsets.UTF_8)));
        raw.forEach(generator::writeStringProperty);
        generator.writeEndObject();
    }
}
