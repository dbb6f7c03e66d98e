package io.reloader.hash;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ConfigMapListBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.SecretListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Secret list rewritten while it streams in, in chunks of any size, gives every Secret the digests the whole
 * object gives ({@link SourceHasher#digestsOfSecret}) and keeps everything but the data and kubectl's copy of it.
 */
class SourceListDigesterProperties {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final SourceHasher RELOADER = SourceHasher.reloaderCompatible();

    static byte[] rewrite(SourceHasher hasher, byte[] json, int chunk) {
        return rewrite(SourceListDigester.Kind.SECRET, hasher, json, chunk);
    }

    static byte[] rewrite(SourceListDigester.Kind kind, SourceHasher hasher, byte[] json, int chunk) {
        SourceListDigester digester = new SourceListDigester(kind, hasher);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < json.length; i += chunk) {
            out.writeBytes(digester.feed(ByteBuffer.wrap(json, i, Math.min(chunk, json.length - i))));
        }
        return out.toByteArray();
    }

    @Property(tries = 200)
    void everySecretKeepsItsDigestsAndLosesItsData(@ForAll("secrets") @Size(max = 6) List<Secret> secrets,
                                                   @ForAll @IntRange(min = 1, max = 700) int chunk,
                                                   @ForAll boolean keyed) {
        SourceHasher hasher = keyed ? SourceHasher.keyed("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8))
                : RELOADER;
        SecretList list = new SecretListBuilder().withNewMetadata().withResourceVersion("42").withContinue("c")
                .endMetadata().withItems(secrets).build();
        byte[] json = JSON.asJson(list).getBytes(StandardCharsets.UTF_8);

        SecretList parsed = JSON.unmarshal(new String(rewrite(hasher, json, chunk), StandardCharsets.UTF_8),
                SecretList.class);

        assertThat(parsed.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(parsed.getMetadata().getContinue()).isEqualTo("c");
        assertThat(parsed.getItems()).hasSameSizeAs(secrets);
        for (int i = 0; i < secrets.size(); i++) {
            Secret before = secrets.get(i);
            Secret after = parsed.getItems().get(i);
            assertThat(hasher.digestsOfSecret(after)).isEqualTo(hasher.digestsOfSecret(before));
            assertThat(hasher.ofSecret(after)).isEqualTo(hasher.ofSecret(before));
            assertThat(after.getData()).isNullOrEmpty();
            assertThat(after.getStringData()).isNullOrEmpty();
            assertThat(after.getType()).isEqualTo(before.getType());
            ObjectMeta meta = after.getMetadata();
            assertThat(meta.getName()).isEqualTo(before.getMetadata().getName());
            assertThat(meta.getLabels()).isEqualTo(before.getMetadata().getLabels());
            Map<String, String> annotations = new java.util.HashMap<>(before.getMetadata().getAnnotations());
            annotations.remove(SourceListDigester.LAST_APPLIED);
            assertThat(meta.getAnnotations()).isEqualTo(annotations);
            assertThat(new String(JSON.asJson(after).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                    .doesNotContain("s3cr3t");
        }
    }

    @Property(tries = 100)
    void aWatchStreamOfSecretEventsIsRewrittenEventByEvent(@ForAll("secrets") @Size(min = 1, max = 4) List<Secret> secrets,
                                                          @ForAll @IntRange(min = 1, max = 300) int chunk) {
        StringBuilder stream = new StringBuilder();
        for (Secret s : secrets) {
            stream.append("{\"type\":\"MODIFIED\",\"object\":").append(JSON.asJson(s)).append("}\n");
        }
        String rewritten = new String(rewrite(RELOADER, stream.toString().getBytes(StandardCharsets.UTF_8), chunk),
                StandardCharsets.UTF_8);

        assertThat(rewritten).doesNotContain("s3cr3t");
        List<Map<String, Object>> events = new java.util.ArrayList<>();
        tools.jackson.databind.json.JsonMapper mapper = new tools.jackson.databind.json.JsonMapper();
        mapper.readValues(mapper.createParser(rewritten), Map.class).forEachRemaining(e -> events.add(e));
        assertThat(events).hasSameSizeAs(secrets);
        for (int i = 0; i < secrets.size(); i++) {
            assertThat(events.get(i)).containsEntry("type", "MODIFIED");
            Secret after = JSON.unmarshal(JSON.asJson(events.get(i).get("object")), Secret.class);
            assertThat(RELOADER.digestsOfSecret(after)).isEqualTo(RELOADER.digestsOfSecret(secrets.get(i)));
            assertThat(after.getMetadata().getName()).isEqualTo(secrets.get(i).getMetadata().getName());
        }
    }

    @Property(tries = 200)
    void everyConfigMapKeepsItsDigestsAndLosesItsData(@ForAll("configMaps") @Size(max = 6) List<ConfigMap> configMaps,
                                                      @ForAll @IntRange(min = 1, max = 700) int chunk) {
        ConfigMapList list = new ConfigMapListBuilder().withNewMetadata().withResourceVersion("9").endMetadata()
                .withItems(configMaps).build();
        byte[] json = JSON.asJson(list).getBytes(StandardCharsets.UTF_8);

        String rewritten = new String(rewrite(SourceListDigester.Kind.CONFIGMAP, RELOADER, json, chunk),
                StandardCharsets.UTF_8);

        assertThat(rewritten).doesNotContain("pl41n");
        ConfigMapList parsed = JSON.unmarshal(rewritten, ConfigMapList.class);
        assertThat(parsed.getItems()).hasSameSizeAs(configMaps);
        for (int i = 0; i < configMaps.size(); i++) {
            ConfigMap before = configMaps.get(i);
            ConfigMap after = parsed.getItems().get(i);
            assertThat(RELOADER.digestsOfConfigMap(after)).isEqualTo(RELOADER.digestsOfConfigMap(before));
            assertThat(RELOADER.ofConfigMap(after)).isEqualTo(RELOADER.ofConfigMap(before));
            assertThat(after.getData()).isNullOrEmpty();
            assertThat(after.getBinaryData()).isNullOrEmpty();
            assertThat(after.getMetadata().getName()).isEqualTo(before.getMetadata().getName());
        }
    }

    @Provide
    Arbitrary<List<ConfigMap>> configMaps() {
        Arbitrary<String> keys = Arbitraries.of("a", "a1", "a.b", "config.yaml", "x_y", "é");
        // Beyond ASCII and with characters JSON escapes, so that values reach the digester as escapes and UTF-8.
        Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~').withChars('é', '€', '\u0001', '\n')
                .ofMaxLength(40).map(v -> "pl41n" + v).injectNull(0.05);
        Arbitrary<Map<String, String>> data = Arbitraries.maps(keys, values).ofMaxSize(4);
        Arbitrary<Map<String, String>> binary = Arbitraries.maps(keys, values.filter(v -> v != null)
                .map(v -> Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)))).ofMaxSize(2);
        Arbitrary<Boolean> applied = Arbitraries.of(true, false);
        return Combinators.combine(data, binary, applied, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8))
                .as((d, bin, a, name) -> {
                    ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns")
                            .endMetadata().withData(d.isEmpty() ? null : d).withBinaryData(bin.isEmpty() ? null : bin);
                    if (a) {
                        b.editMetadata().addToAnnotations(SourceListDigester.LAST_APPLIED,
                                "{\"data\":" + JSON.asJson(d) + "}").endMetadata();
                    }
                    return b.build();
                }).list();
    }

    @Provide
    Arbitrary<List<Secret>> secrets() {
        // Keys that sort differently as "key=" than as keys ("a" and "a1", "a.b"): the hash's order must hold.
        // "a=1" (which an API server rejects): "a=" begins it, so the order of "a" and "a=1" depends on a's value.
        Arbitrary<String> keys = Arbitraries.of("a", "a1", "a.b", "a-b", "tls.crt", "tls", "password", "x_y", "a=1");
        Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~').withChars('é', '\t')
                .ofMaxLength(40).map(v -> "s3cr3t" + v);
        Arbitrary<Map<String, String>> data = Arbitraries.maps(keys, values.map(v -> Base64.getEncoder()
                .encodeToString(v.getBytes(StandardCharsets.UTF_8)))).ofMaxSize(5);
        Arbitrary<Map<String, String>> stringData = Arbitraries.maps(keys, values).ofMaxSize(2);
        Arbitrary<Boolean> applied = Arbitraries.of(true, false);
        return Combinators.combine(data, stringData, applied, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8))
                .as((d, s, a, name) -> {
                    SecretBuilder b = new SecretBuilder().withNewMetadata().withName(name).withNamespace("ns")
                            .addToLabels("app", name).addToAnnotations("note", "{\"data\": 1}")
                            .endMetadata().withType("Opaque").withData(d.isEmpty() ? null : d)
                            .withStringData(s.isEmpty() ? null : s);
                    if (a) {
                        b.editMetadata().addToAnnotations(SourceListDigester.LAST_APPLIED,
                                "{\"data\":" + JSON.asJson(d) + ",\"stringData\":\"s3cr3t\"}").endMetadata();
                    }
                    return b.build();
                }).list();
    }
}
