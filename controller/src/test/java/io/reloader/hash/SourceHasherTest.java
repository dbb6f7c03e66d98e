package io.reloader.hash;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The worked examples of docs/compatibility.md#hash, byte for byte. */
class SourceHasherTest {

    @Test
    void sha1HelperMatchesTheReference() {
        assertThat(SourceHasher.sha1Hex("www.stakater.com")).isEqualTo("abd4ed82fb04548388a6cf3c339fd9dc84d275df");
    }

    static Stream<Arguments> configMaps() {
        return Stream.of(
                Arguments.of("E1", cm(Map.of("b", "2", "a", "1"), null), "f83e99e324ba68ccc373a58ef1eb42f8ab88646a"),
                Arguments.of("E2", cm(Map.of("a", "x", "a.b", "y", "a-c", "z"),
                        Map.of("bin", b64(new byte[] {0x00, (byte) 0xFF}))), "ac7fb17c9d6f08a14b73005fc5890ebf870848cb"),
                Arguments.of("E4", cm(null, null), "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
                Arguments.of("E7a", cm(Map.of("a", "b;c=d"), null), "3329e551ae1b9591478238430892c25578227312"),
                Arguments.of("E7b", cm(Map.of("a", "b", "c", "d"), null), "3329e551ae1b9591478238430892c25578227312"),
                Arguments.of("E8", cm(Map.of("app.properties", "log.level=debug\nport=8080\n"), null),
                        "326564f749e4d45575c6894a328c7da02cb356c3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configMaps")
    void configMapHash(String example, ConfigMap cm, String expected) {
        assertThat(SourceHasher.configMap(cm)).isEqualTo(expected);
    }

    static Stream<Arguments> secrets() {
        Map<String, String> e3 = new LinkedHashMap<>();
        e3.put("username", "YWRtaW4=");
        e3.put("password", "czNjcjN0");
        return Stream.of(
                Arguments.of("E3", secret(e3), "c6cceb2f1c84498af4f4cda76071f8bc2afd425b"),
                Arguments.of("E4", secret(null), "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
                Arguments.of("E9 invalid UTF-8 hashed as raw bytes",
                        secret(Map.of("key", b64(new byte[] {(byte) 0xFF, (byte) 0xFE}))),
                        "308df62b23fa31ea7473ca4fd138280271f8675d"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void secretHash(String example, Secret secret, String expected) {
        assertThat(SourceHasher.secret(secret)).isEqualTo(expected);
    }

    @Test
    void podStatusHashIsE5() {
        assertThat(SourceHasher.podStatus("vault-db", java.util.List.of(Map.of("id", "secret/db", "version", "v2"))))
                .isEqualTo("cf751939021a4094839f1dc15e29a7beaf461947");
    }

    @Test
    void deleteMarkerHashIsE6() {
        assertThat(SourceHasher.sha1Hex("__RELOADER_EMPTY_DELETE_MARKER__"))
                .isEqualTo("aae45badef99284e4dae01d6046154ea9d99532f");
    }

    @Test
    void keyedHashIsHmacSha256AndDependsOnTheKey() {
        SourceHasher a = SourceHasher.keyed("0123456789abcdef-key-a".getBytes(StandardCharsets.UTF_8));
        SourceHasher b = SourceHasher.keyed("0123456789abcdef-key-b".getBytes(StandardCharsets.UTF_8));
        ConfigMap e1 = cm(Map.of("b", "2", "a", "1"), null);
        // printf 'a=1;b=2' | openssl dgst -sha256 -hmac '0123456789abcdef-key-a'
        assertThat(a.ofConfigMap(e1)).hasSize(64).isNotEqualTo(b.ofConfigMap(e1))
                .isEqualTo(a.ofConfigMap(cm(Map.of("a", "1", "b", "2"), null)))
                .isEqualTo("1a9b4b1475dfe3c08fc62e406e1a8d54fb9f6b6c9c3f0cacc8ebf055bdea4974");
        assertThat(SourceHasher.reloaderCompatible().ofConfigMap(e1)).isEqualTo("f83e99e324ba68ccc373a58ef1eb42f8ab88646a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SourceHasher.keyed(new byte[8]))
                .hasMessageContaining("at least 16 bytes");
    }

    @Test
    void labelsAndAnnotationsDoNotCount() {
        ConfigMap plain = cm(Map.of("a", "1"), null);
        ConfigMap labelled = new ConfigMapBuilder(plain).editOrNewMetadata().addToLabels("x", "y")
                .addToAnnotations("k", "v").withName("other").endMetadata().build();
        assertThat(SourceHasher.configMap(labelled)).isEqualTo(SourceHasher.configMap(plain));
    }

    private static ConfigMap cm(Map<String, String> data, Map<String, String> binary) {
        ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata();
        if (data != null) {
            b.withData(data);
        }
        if (binary != null) {
            b.withBinaryData(binary);
        }
        return b.build();
    }

    private static Secret secret(Map<String, String> data) {
        SecretBuilder b = new SecretBuilder().withNewMetadata().withName("s").endMetadata();
        if (data != null) {
            b.withData(data);
        }
        return b.build();
    }

    private static String b64(byte[] raw) {
        return Base64.getEncoder().encodeToString(raw);
    }

    @SuppressWarnings("unused")
    private static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A write with stringData is what the API server stores in data: the same hash, the same per-key digests, and
     * stringData wins over data for a key in both (a server that keeps stringData as sent must not see "no data").
     */
    @Test
    void stringDataHashesAsTheDataTheApiServerMergesItInto() {
        Base64.Encoder b64 = Base64.getEncoder();
        Secret stored = new SecretBuilder().withData(Map.of("user", b64.encodeToString("admin".getBytes()),
                "password", b64.encodeToString("s3cret".getBytes()))).build();
        Secret sent = new SecretBuilder().withData(Map.of("user", b64.encodeToString("admin".getBytes()),
                "password", b64.encodeToString("old".getBytes()))).withStringData(Map.of("password", "s3cret")).build();
        Secret onlyStrings = new SecretBuilder().withStringData(Map.of("user", "admin", "password", "s3cret")).build();
        for (SourceHasher hasher : java.util.List.of(SourceHasher.reloaderCompatible(),
                SourceHasher.keyed("0123456789abcdef".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(hasher.ofSecret(sent)).isEqualTo(hasher.ofSecret(stored));
            assertThat(hasher.ofSecret(onlyStrings)).isEqualTo(hasher.ofSecret(stored));
            assertThat(hasher.digestsOfSecret(onlyStrings).hash()).isEqualTo(hasher.ofSecret(stored));
            assertThat(hasher.keysOfSecret(onlyStrings).changedFrom(hasher.keysOfSecret(stored))).isEmpty();
        }
        Secret changed = new SecretBuilder().withStringData(Map.of("user", "admin", "password", "new")).build();
        assertThat(SourceHasher.reloaderCompatible().ofSecret(changed))
                .isNotEqualTo(SourceHasher.reloaderCompatible().ofSecret(onlyStrings));
    }
}
