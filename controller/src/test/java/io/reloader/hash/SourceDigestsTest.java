package io.reloader.hash;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-pass digests equal the separate whole-source hash and per-key digests, for every shape of data. */
class SourceDigestsTest {
    static List<Map<String, String>> shapes() {
        return List.of(Map.of(), Map.of("a", "1"), Map.of("a", "1", "b", "2"), Map.of("config.yaml", "x: 1",
                "password", "s3cr3t", "z", ""));
    }

    static List<SourceHasher> hashers() {
        return List.of(SourceHasher.reloaderCompatible(), SourceHasher.keyed("0123456789abcdef".getBytes()));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void configMapDigestsMatchTheSeparateComputations(Map<String, String> data) {
        for (SourceHasher hasher : hashers()) {
            ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().withData(data)
                    .addToBinaryData("bin", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})).build();
            SourceHasher.Digests d = hasher.digestsOfConfigMap(cm);
            assertThat(d.hash()).isEqualTo(hasher.ofConfigMap(cm));
            assertThat(d.keys()).isEqualTo(hasher.keysOfConfigMap(cm));
            ConfigMap textOnly = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().withData(data)
                    .build();
            assertThat(hasher.digestsOfConfigMap(textOnly).hash()).isEqualTo(hasher.ofConfigMap(textOnly));
            assertThat(hasher.digestsOfConfigMap(textOnly).keys()).isEqualTo(hasher.keysOfConfigMap(textOnly));
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void secretDigestsMatchTheSeparateComputations(Map<String, String> data) {
        for (SourceHasher hasher : hashers()) {
            Map<String, String> encoded = new java.util.TreeMap<>();
            data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
            Secret s = new SecretBuilder().withNewMetadata().withName("s").endMetadata().withData(encoded).build();
            SourceHasher.Digests d = hasher.digestsOfSecret(s);
            assertThat(d.hash()).isEqualTo(hasher.ofSecret(s));
            assertThat(d.keys()).isEqualTo(hasher.keysOfSecret(s));
        }
    }
}
