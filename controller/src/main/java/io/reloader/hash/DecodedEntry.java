package io.reloader.hash;

/**
 * A source's {@code key=value} entry as its key and value, never joined: hashed in pieces, and ordered as the
 * joined bytes would be (unsigned, Go's sort.Strings), which the key alone decides unless one key followed by
 * {@code =} begins another (keys cannot hold {@code =} in Kubernetes, but the order must not depend on that). The
 * value is the first {@code length} bytes of {@code value}, which may be a reused buffer ({@link ValueBuffers}).
 */
record DecodedEntry(String name, byte[] key, byte[] value, int length) {
    private static final byte EQUALS = '=';

    DecodedEntry {
        if (length < 0 || length > value.length) {
            throw new IllegalArgumentException("a value of " + length + " bytes in a buffer of " + value.length);
        }
    }

    DecodedEntry(String name, byte[] key, byte[] value) {
        this(name, key, value, value.length);
    }

    /** The entry of {@code name} whose value is the first {@code length} bytes of {@code value}. */
    static DecodedEntry of(String name, byte[] value, int length) {
        return new DecodedEntry(name, name.getBytes(java.nio.charset.StandardCharsets.UTF_8), value, length);
    }

    EntrySink hashInto(EntrySink sink) {
        sink.update(key, 0, key.length);
        sink.update(EQUALS);
        sink.update(value, 0, length);
        return sink;
    }

    /** Clears the value's bytes. */
    void wipe() {
        Wipe.zero(value, length);
    }

    /** As {@code Arrays.compareUnsigned} of the two joined entries. */
    static int compareAsEntries(DecodedEntry a, DecodedEntry b) {
        int length = Math.min(a.joinedLength(), b.joinedLength());
        for (int i = 0; i < length; i++) {
            int x = a.at(i) & 0xff;
            int y = b.at(i) & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return Integer.compare(a.joinedLength(), b.joinedLength());
    }

    private int joinedLength() {
        return key.length + 1 + length;
    }

    private byte at(int i) {
        return i < key.length ? key[i] : i == key.length ? EQUALS : value[i - key.length - 1];
    }
}
