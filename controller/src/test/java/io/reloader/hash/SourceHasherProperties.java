package io.reloader.hash;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reloader's hash as properties, against an independent model: SHA-1 over "key=value" entries sorted in UTF-8 byte
 * order (which is code point order, so no byte comparison is shared with the code under test), joined by ';'.
 */
class SourceHasherProperties {

    private static String model(Map<String, String> data) {
        List<String> entries = new ArrayList<>();
        data.forEach((k, v) -> entries.add(k + "=" + v));
        entries.sort(SourceHasherProperties::byCodePoint);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(String.join(";", entries).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static int byCodePoint(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static Map<String, String> shuffled(Map<String, String> data, long seed) {
        List<String> keys = new ArrayList<>(data.keySet());
        Collections.shuffle(keys, new Random(seed));
        Map<String, String> copy = new LinkedHashMap<>();
        keys.forEach(k -> copy.put(k, data.get(k)));
        return copy;
    }

    @Property(tries = 300)
    void aConfigMapHashesAsTheModelWhateverTheKeyOrder(
            @ForAll @Size(max = 8) Map<@StringLength(min = 1, max = 12) String, @StringLength(max = 40) String> data,
            @ForAll long seed) {
        String expected = model(data);
        assertThat(SourceHasher.configMap(new ConfigMapBuilder().withData(shuffled(data, seed)).build()))
                .isEqualTo(expected);
    }

    @Property(tries = 200)
    void aSecretHashesItsDecodedBytesLikeAConfigMapOfTheSameText(
            @ForAll @Size(max = 6) Map<@StringLength(min = 1, max = 12) String, @StringLength(max = 40) String> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        assertThat(SourceHasher.secret(new SecretBuilder().withData(encoded).build()))
                .isEqualTo(SourceHasher.configMap(new ConfigMapBuilder().withData(data).build()))
                .isEqualTo(model(data));
    }

    @Property(tries = 200)
    void binaryDataHashesAsItsBase64Text(
            @ForAll @Size(max = 6) Map<@StringLength(min = 1, max = 12) String, byte[]> binary) {
        Map<String, String> encoded = new LinkedHashMap<>();
        binary.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
        assertThat(SourceHasher.configMap(new ConfigMapBuilder().withBinaryData(encoded).build()))
                .isEqualTo(model(encoded));
    }

    @Property(tries = 200)
    void aChangedValueChangesTheHash(
            @ForAll @Size(min = 1, max = 6) Map<@StringLength(min = 1, max = 12) String, @StringLength(max = 20) String> data) {
        String key = data.keySet().iterator().next();
        Map<String, String> changed = new LinkedHashMap<>(data);
        changed.put(key, data.get(key) + "x");
        assertThat(SourceHasher.configMap(new ConfigMapBuilder().withData(changed).build()))
                .isNotEqualTo(SourceHasher.configMap(new ConfigMapBuilder().withData(data).build()));
    }
}
