package io.reloader.hash;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoding in blocks gives what the JDK's decoder gives the whole text; buffers come back clear. */
class ValueBuffersTest {
    private static final int BLOCK = ValueBuffers.BLOCK;

    /** The JDK's answer for the whole text: its bytes, or null where it refuses the text. */
    private static byte[] jdk(byte[] text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }

    /** Ours, for the text placed at an offset inside a larger array, as it sits in the scanner's buffer. */
    private static byte[] ours(byte[] text, int offset) {
        byte[] buf = new byte[offset + text.length + 7];
        Arrays.fill(buf, (byte) '"');
        System.arraycopy(text, 0, buf, offset, text.length);
        byte[] into = new byte[ValueBuffers.decodedCapacity(text.length)];
        int length = ValueBuffers.decode(buf, offset, offset + text.length, into);
        if (length < 0) {
            assertThat(into).as("what was decoded before the refusal is wiped").isEqualTo(new byte[into.length]);
            return null;
        }
        assertThat(Arrays.copyOfRange(into, length, into.length)).isEqualTo(new byte[into.length - length]);
        return Arrays.copyOf(into, length);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        // Around every block boundary (in characters: 4 per 3 bytes) and in between.
        int perBlock = BLOCK / 4 * 3;
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 10),
                Arbitraries.integers().between(perBlock - 4, perBlock + 4),
                Arbitraries.integers().between(2 * perBlock - 4, 2 * perBlock + 4),
                Arbitraries.integers().between(0, 3 * perBlock + 100));
    }

    @Property(tries = 300)
    void decodesAsTheWholeTextDecodes(@ForAll("sizes") int size, @ForAll @IntRange(max = 5) int damage,
                                      @ForAll @IntRange(max = 1_000_000) int where, @ForAll boolean padded,
                                      @ForAll @IntRange(max = 3) int offset) {
        byte[] value = new byte[size];
        new Random(size * 31L + where).nextBytes(value);
        Base64.Encoder encoder = padded ? Base64.getEncoder() : Base64.getEncoder().withoutPadding();
        byte[] text = encoder.encode(value);
        int at = text.length == 0 ? 0 : where % text.length;
        text = switch (damage) {
            case 1 -> text.length == 0 ? text : replace(text, at, (byte) '*'); // not in the alphabet
            case 2 -> text.length == 0 ? text : replace(text, at, (byte) '='); // padding inside
            case 3 -> Arrays.copyOf(text, Math.max(0, text.length - 1 - at % 3)); // cut short
            case 4 -> concat(text, "=".getBytes(StandardCharsets.US_ASCII)); // padding after the end
            case 5 -> concat(text, "QQ".getBytes(StandardCharsets.US_ASCII)); // more after the padding
            default -> text;
        };
        assertThat(ours(text, offset)).isEqualTo(jdk(text));
    }

    @Example
    void paddingAtTheEndOfABlockThatIsNotTheLastIsRefused() {
        byte[] text = Base64.getEncoder().encode(new byte[BLOCK / 4 * 3 - 1]); // ends in "=", one block long
        byte[] twice = concat(text, text);
        assertThat(jdk(twice)).isNull();
        assertThat(ours(twice, 0)).isNull();
    }

    @Example
    void aBufferGivenBackIsTakenAgainAndAlwaysComesBackClear() {
        ValueBuffers buffers = new ValueBuffers();
        byte[] first = buffers.take(100_000);
        assertThat(first.length).isGreaterThanOrEqualTo(100_000);
        buffers.give(first);
        assertThat(buffers.take(90_000)).isSameAs(first);
        assertThat(buffers.take(90_000)).as("taken already: a new one").isNotSameAs(first);
        buffers.give(first);
        assertThat(buffers.take(first.length + 1)).as("too small").isNotSameAs(first);
    }

    @Example
    void thePoolKeepsItsLargestBuffersOnly() {
        ValueBuffers buffers = new ValueBuffers();
        byte[][] taken = new byte[5][];
        for (int i = 0; i < 5; i++) {
            taken[i] = buffers.take((i + 1) * 100_000);
        }
        for (byte[] b : taken) {
            buffers.give(b);
        }
        assertThat(buffers.take(1)).as("the smallest was dropped").isNotSameAs(taken[0]).isIn((Object[]) taken);
    }

    private static byte[] replace(byte[] text, int at, byte b) {
        byte[] copy = text.clone();
        copy[at] = b;
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
