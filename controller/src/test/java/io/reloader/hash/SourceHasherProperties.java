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
 * Every property runs the production path, {@code digestsOf*}, the method the source watch's store hashes with,
 * and checks the per-key digests that key-level precision reads as well.
 */
class SourceHasherProperties {
    private static final SourceHasher RELOADER = SourceHasher.reloaderCompatible();

    private static SourceHasher.Digests ofData(Map<String, String> data) {
        return RELOADER.digestsOfConfigMap(new ConfigMapBuilder().withData(data).build());
    }

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
        SourceHasher.Digests digests = ofData(shuffled(data, seed));
        assertThat(digests.hash()).isEqualTo(expected);
        assertThat(digests.keys()).isEqualTo(ofData(data).keys());
        data.forEach((k, v) -> assertThat(digests.keys().digest(k)).as("the digest of key %s", k)
                .isEqualTo(SourceHasher.first8(HexFormat.of().parseHex(model(Map.of(k, v))))));
    }

    @Property(tries = 200)
    void aSecretHashesItsDecodedBytesLikeAConfigMapOfTheSameText(
            @ForAll @Size(max = 6) Map<@StringLength(min = 1, max = 12) String, @StringLength(max = 40) String> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        SourceHasher.Digests secret = RELOADER.digestsOfSecret(new SecretBuilder().withData(encoded).build());
        assertThat(secret.hash()).isEqualTo(ofData(data).hash()).isEqualTo(model(data));
        assertThat(secret.keys()).isEqualTo(ofData(data).keys());
    }

    @Property(tries = 200)
    void binaryDataHashesAsItsBase64Text(
            @ForAll @Size(max = 6) Map<@StringLength(min = 1, max = 12) String, byte[]> binary) {
        Map<String, String> encoded = new LinkedHashMap<>();
        binary.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
        assertThat(RELOADER.digestsOfConfigMap(new ConfigMapBuilder().withBinaryData(encoded).build()).hash())
                .isEqualTo(model(encoded));
    }

    /** Text and binary keys together (an API server keeps their key sets apart) hash as one set of entries. */
    @Property(tries = 200)
    void textAndBinaryDataHashAsOneSetOfEntries(
            @ForAll @Size(max = 4) Map<@StringLength(min = 1, max = 12) String, @StringLength(max = 20) String> text,
            @ForAll @Size(max = 4) Map<@StringLength(min = 1, max = 12) String, byte[]> binary) {
        Map<String, String> encoded = new LinkedHashMap<>();
        binary.forEach((k, v) -> {
            if (!text.containsKey(k)) {
                encoded.put(k, Base64.getEncoder().encodeToString(v));
            }
        });
        Map<String, String> all = new LinkedHashMap<>(text);
        all.putAll(encoded);
        assertThat(RELOADER.digestsOfConfigMap(new ConfigMapBuilder().withData(text).withBinaryData(encoded).build())
                .hash()).isEqualTo(model(all));
    }

    @Property(tries = 200)
    void aChangedValueChangesTheHash(
            @ForAll @Size(min = 1, max = 6) Map<@StringLength(min = 1, max = 12) String, @StringLength(max = 20) String> data) {
        String key = data.keySet().iterator().next();
        Map<String, String> changed = new LinkedHashMap<>(data);
        changed.put(key, data.get(key) + "x");
        SourceHasher.Digests before = ofData(data);
        SourceHasher.Digests after = ofData(changed);
        assertThat(after.hash()).isNotEqualTo(before.hash());
        assertThat(after.keys().digest(key)).isNotEqualTo(before.keys().digest(key));
        data.keySet().stream().filter(k -> !k.equals(key)).forEach(k ->
                assertThat(after.keys().digest(k)).as("an unchanged key keeps its digest").isEqualTo(before.keys().digest(k)));
    }

    /** The keyed variant: whatever the key order the same hash, never Reloader's, and a changed value shows. */
    @Property(tries = 100)
    void theKeyedHashIsOrderFreeAndDiffersFromReloaders(
            @ForAll @Size(min = 1, max = 6) Map<@StringLength(min = 1, max = 12) String, @StringLength(max = 20) String> data,
            @ForAll long seed) {
        SourceHasher keyed = SourceHasher.keyed("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        String hash = keyed.digestsOfConfigMap(new ConfigMapBuilder().withData(data).build()).hash();
        assertThat(keyed.digestsOfConfigMap(new ConfigMapBuilder().withData(shuffled(data, seed)).build()).hash())
                .isEqualTo(hash).hasSize(64).isNotEqualTo(model(data));
        String key = data.keySet().iterator().next();
        Map<String, String> changed = new LinkedHashMap<>(data);
        changed.put(key, data.get(key) + "x");
        assertThat(keyed.digestsOfConfigMap(new ConfigMapBuilder().withData(changed).build()).hash()).isNotEqualTo(hash);
    }
}
