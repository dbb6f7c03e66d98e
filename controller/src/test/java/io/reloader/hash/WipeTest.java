package io.reloader.hash;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class WipeTest {
    @Test
    void everyByteIsCleared() {
        for (int size : new int[] {0, 1, 8191, 8192, 8193, 3 * 8192 + 5}) {
            byte[] bytes = new byte[size];
            Arrays.fill(bytes, (byte) 0x5a);
            Wipe.zero(bytes);
            assertThat(bytes).as("size %d", size).isEqualTo(new byte[size]);
        }
    }
}
