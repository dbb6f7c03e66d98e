package io.reloader.hash;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;

/**
 * Buffers for the decoded values of large sources, reused while one response is read. A page of Helm release
 * records decodes hundreds of values of hundreds of KiB: allocated one by one, they made the young collections
 * frequent, and each collection copied (then promoted) the ones being hashed at the time. A buffer is wiped
 * before it is given back, and the pool dies with its response, so no secret outlives the reading of its page.
 * Taken on the thread that reads the response, given back by whichever thread hashed the value.
 */
final class ValueBuffers {
    /** Values whose text is at least this long are decoded into a pooled buffer; smaller ones at their size. */
    static final int POOLED_FROM = 64 * 1024;
    /** Enough for the source being read and the two being hashed ({@link RewrittenOutput}), and one more. */
    private static final int MAX_FREE = 4;
    private static final int GRAIN = 64 * 1024;
    /** Base64 text decoded per call of the JDK's decoder: a multiple of 4, so blocks decode as the whole would. */
    static final int BLOCK = 16 * 1024;

    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    /** A buffer of at least {@code size} bytes, all of them zero. */
    synchronized byte[] take(int size) {
        for (Iterator<byte[]> it = free.iterator(); it.hasNext(); ) {
            byte[] b = it.next();
            if (b.length >= size) {
                it.remove();
                return b;
            }
        }
        long rounded = ((long) size + GRAIN - 1) / GRAIN * GRAIN;
        return new byte[(int) Math.min(rounded, Integer.MAX_VALUE - 8)];
    }

    /** Takes back a buffer whose bytes the caller has wiped. */
    synchronized void give(byte[] buffer) {
        if (free.size() == MAX_FREE) {
            byte[] smallest = free.stream().min((a, b) -> Integer.compare(a.length, b.length)).orElseThrow();
            if (smallest.length >= buffer.length) {
                return;
            }
            free.remove(smallest);
        }
        free.addLast(buffer);
    }

    /**
     * Decodes the base64 text {@code text[from, to)} as {@link Base64#getDecoder()} decodes it whole (same bytes,
     * same inputs refused), into {@code into} from its start. Returns the decoded length, or -1 where the text is
     * not base64. The JDK's decoder takes only whole arrays, so the text goes through it in blocks of
     * {@link #BLOCK} characters, each copied out and decoded on its own; both copies are wiped at the end.
     */
    static int decode(byte[] text, int from, int to, byte[] into) {
        Base64.Decoder decoder = Base64.getDecoder();
        byte[] block = null;
        byte[] decoded = new byte[BLOCK / 4 * 3];
        int written = 0;
        boolean done = false;
        try {
            int at = from;
            // Every block but the last is a run of whole 4-character groups: decoded alone it gives what the whole
            // text gives there, unless it ends in padding, which only the last block may hold.
            while (to - at > BLOCK) {
                if (text[at + BLOCK - 1] == '=') {
                    return -1;
                }
                if (block == null) {
                    block = new byte[BLOCK];
                }
                System.arraycopy(text, at, block, 0, BLOCK);
                int n = decoder.decode(block, decoded);
                System.arraycopy(decoded, 0, into, written, n);
                written += n;
                at += BLOCK;
            }
            if (block != null) {
                Wipe.zero(block);
            }
            block = Arrays.copyOfRange(text, at, to);
            int n = decoder.decode(block, decoded);
            System.arraycopy(decoded, 0, into, written, n);
            done = true;
            return written + n;
        } catch (IllegalArgumentException notBase64) {
            return -1;
        } finally {
            if (!done) {
                Wipe.zero(into, written); // what was decoded before the text proved not to be base64
            }
            if (block != null) {
                Wipe.zero(block);
            }
            Wipe.zero(decoded);
        }
    }

    /** What {@link #decode} needs at most for {@code length} characters of base64. */
    static int decodedCapacity(int length) {
        return (int) (((long) length + 3) / 4 * 3);
    }
}
