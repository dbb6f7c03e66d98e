package io.reloader.hash;

/**
 * A source's {@code key=value} entry as its key and value, never joined: hashed in pieces, and ordered as the
 * joined bytes would be (unsigned, Go's sort.Strings), which the key alone decides unless one key followed by
 * {@code =} begins another (keys cannot hold {@code =} in Kubernetes, but the order must not depend on that).
 */
record DecodedEntry(String name, byte[] key, byte[] value) {
    private static final byte EQUALS = '=';

    EntrySink hashInto(EntrySink sink) {
        sink.update(key);
        sink.update(EQUALS);
        sink.update(value);
        return sink;
    }

    /** As {@code Arrays.compareUnsigned} of the two joined entries. */
    static int compareAsEntries(DecodedEntry a, DecodedEntry b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            int x = a.at(i) & 0xff;
            int y = b.at(i) & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    private int length() {
        return key.length + 1 + value.length;
    }

    private byte at(int i) {
        return i < key.length ? key[i] : i == key.length ? EQUALS : value[i - key.length - 1];
    }
}
