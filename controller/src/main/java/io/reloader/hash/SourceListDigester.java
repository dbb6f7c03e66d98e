package io.reloader.hash;

import java.nio.ByteBuffer;

/**
 * Rewrites a Secret or ConfigMap list response, or a stream of their watch events, while it arrives, chunk by
 * chunk: each item's data maps are hashed as they are read and left out, with kubectl's last-applied copy (which
 * repeats the data); the digests go on under {@link StreamedDigest#PROPERTY}. So a list page costs the heap its
 * metadata and one source's values at a time, never the page's raw JSON and its parsed data at once: a page of
 * Helm release records (hundreds of KiB each) is otherwise tens of MB. Everything else (a Status, the list's own
 * metadata, an event's type, the items' other fields) is copied byte for byte as it came, without being decoded:
 * on the compilers the image runs (C1 only) this is what keeps listing large Secrets from being CPU-bound.
 * One instance per response; not thread-safe (chunks come in order).
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

    /** kubectl's copy of what it applied: the whole object again, data included; no cache keeps it. */
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final RewrittenOutput out;
    private final JsonByteScanner scanner;
    private byte[] direct = new byte[0];

    /** Hashes every source on the thread that feeds it. */
    public SourceListDigester(Kind kind, SourceHasher hasher) {
        this(kind, hasher, Runnable::run);
    }

    /**
     * Hashes large sources on {@code hashing} while the next is read (a feed may wait for such a hash, or compute
     * it itself when no thread has taken it up; {@code hashing}'s tasks never wait for a feed).
     */
    public SourceListDigester(Kind kind, SourceHasher hasher, java.util.concurrent.Executor hashing) {
        this.out = new RewrittenOutput(hashing, 16 * 1024);
        this.scanner = new JsonByteScanner(new SourceListRewriter(kind,
                new SourceDataMaps(kind, hasher, new ValueBuffers()), out));
    }

    /**
     * Takes the next chunk of the response; returns what of the rewritten response is complete so far, all of it
     * once a top-level value (the list, or a watch event) is complete.
     */
    public byte[] feed(ByteBuffer chunk) {
        int length = chunk.remaining();
        if (chunk.hasArray()) {
            scanner.feed(chunk.array(), chunk.arrayOffset() + chunk.position(), length);
            chunk.position(chunk.limit());
        } else {
            if (direct.length < length) {
                direct = new byte[Math.max(length, 2 * direct.length)];
            }
            chunk.get(direct, 0, length);
            scanner.feed(direct, 0, length);
        }
        // Between top-level values (the end of a list, or of a watch event) nothing may be held back.
        return out.take(scanner.betweenValues());
    }
}
