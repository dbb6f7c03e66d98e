package io.reloader.hash;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.SecretListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Large sources are hashed on another thread while the next is read; the response stays whole and in order. */
class SourceListDigesterParallelTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final SourceHasher RELOADER = SourceHasher.reloaderCompatible();

    private static List<Secret> helmLike(int count) {
        Random random = new Random(7);
        List<Secret> secrets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Large and small alternate: a small one is hashed inline, behind a large one still being hashed.
            byte[] value = new byte[i % 2 == 0 ? SourceListRewriter.PARALLEL_FROM + 1000 * i : 100];
            random.nextBytes(value);
            secrets.add(new SecretBuilder().withNewMetadata().withName("release-" + i).withNamespace("ns")
                    .endMetadata().withType("helm.sh/release.v1")
                    .addToData("release", Base64.getEncoder().encodeToString(value)).build());
        }
        return secrets;
    }

    private static byte[] listOf(List<Secret> secrets) {
        return JSON.asJson(new SecretListBuilder().withNewMetadata().withResourceVersion("5").endMetadata()
                .withItems(secrets).build()).getBytes(StandardCharsets.UTF_8);
    }

    private static void assertDigestsKept(byte[] rewritten, List<Secret> secrets) {
        SecretList parsed = JSON.unmarshal(new String(rewritten, StandardCharsets.UTF_8), SecretList.class);
        assertThat(parsed.getItems()).extracting(s -> s.getMetadata().getName())
                .containsExactlyElementsOf(secrets.stream().map(s -> s.getMetadata().getName()).toList());
        for (int i = 0; i < secrets.size(); i++) {
            assertThat(RELOADER.digestsOfSecret(parsed.getItems().get(i)))
                    .isEqualTo(RELOADER.digestsOfSecret(secrets.get(i)));
            assertThat(parsed.getItems().get(i).getData()).isNullOrEmpty();
        }
    }

    @Test
    void onAThreadPoolEverySourceKeepsItsDigestsInOrder() {
        List<Secret> secrets = helmLike(9);
        byte[] json = listOf(secrets);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int chunk : new int[] {1000, 65536, json.length}) {
                SourceListDigester digester = new SourceListDigester(SourceListDigester.Kind.SECRET, RELOADER, pool);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 0; i < json.length; i += chunk) {
                    out.writeBytes(digester.feed(ByteBuffer.wrap(json, i, Math.min(chunk, json.length - i))));
                }
                assertDigestsKept(out.toByteArray(), secrets);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whatFollowsAnUnfinishedHashIsHeldBackAndTheEndWaitsForNoThread() {
        List<Secret> secrets = helmLike(5);
        byte[] json = listOf(secrets);
        List<Runnable> neverRun = new ArrayList<>();
        SourceListDigester digester = new SourceListDigester(SourceListDigester.Kind.SECRET, RELOADER, neverRun::add);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(digester.feed(ByteBuffer.wrap(json, 0, json.length - 1)));
        String soFar = out.toString(StandardCharsets.UTF_8);
        // Releases 0, 2 and 4 are large. At most two hashes are outstanding: the third waited for the first (computed
        // here, as no thread took it up); what follows release 2's unfinished hash waits.
        assertThat(neverRun).hasSize(3);
        assertThat(soFar).contains("release-2").doesNotContain("release-3");

        // The last byte ends the list: every hash no thread took up is computed by the feed itself.
        out.writeBytes(digester.feed(ByteBuffer.wrap(json, json.length - 1, 1)));
        assertDigestsKept(out.toByteArray(), secrets);
    }

    @Test
    void aWatchEventGoesOnWholeEvenWhenTheNextHasBegunInTheSameChunk() {
        List<Secret> secrets = helmLike(1);
        String event = "{\"type\":\"MODIFIED\",\"object\":" + JSON.asJson(secrets.get(0)) + "}\n";
        byte[] first = event.getBytes(StandardCharsets.UTF_8);
        byte[] chunk = (event + "{\"type\":\"MOD").getBytes(StandardCharsets.UTF_8);
        List<Runnable> neverRun = new ArrayList<>();
        SourceListDigester digester = new SourceListDigester(SourceListDigester.Kind.SECRET, RELOADER, neverRun::add);

        String out = new String(digester.feed(ByteBuffer.wrap(chunk)), StandardCharsets.UTF_8);

        assertThat(neverRun).hasSize(1); // the large Secret's hash was handed over, and no thread took it up
        // All of the first event, then what has come of the second (passed on as it comes).
        int newline = out.indexOf('\n');
        assertThat(newline).isPositive().isLessThan(first.length);
        assertThat(out.substring(newline + 1)).isEqualTo("{\"type\":\"MOD");
        Secret after = JSON.unmarshal(JSON.asJson(new tools.jackson.databind.json.JsonMapper()
                .readValue(out.substring(0, newline), java.util.Map.class).get("object")), Secret.class);
        assertThat(RELOADER.digestsOfSecret(after)).isEqualTo(RELOADER.digestsOfSecret(secrets.get(0)));
    }

    @Test
    void largeValuesOfSeveralKeysAndLargeBinaryDataReuseBuffersAndKeepTheirDigests() {
        Random random = new Random(11);
        List<Secret> secrets = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            SecretBuilder b = new SecretBuilder().withNewMetadata().withName("s-" + i).withNamespace("ns").endMetadata();
            // Sizes that shrink and grow, so that a reused buffer is longer than the value it holds next.
            for (String key : new String[] {"tls.crt", "tls", "a"}) {
                byte[] value = new byte[ValueBuffers.POOLED_FROM + random.nextInt(3 * ValueBuffers.POOLED_FROM)];
                random.nextBytes(value);
                b.addToData(key, Base64.getEncoder().encodeToString(value));
            }
            if (i % 3 == 0) {
                b.addToStringData("tls", "replaced by stringData"); // the decoded value it replaces is given back
            }
            secrets.add(b.build());
        }
        byte[] json = listOf(secrets);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            SourceListDigester digester = new SourceListDigester(SourceListDigester.Kind.SECRET, RELOADER, pool);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < json.length; i += 65536) {
                out.writeBytes(digester.feed(ByteBuffer.wrap(json, i, Math.min(65536, json.length - i))));
            }
            SecretList parsed = JSON.unmarshal(out.toString(StandardCharsets.UTF_8), SecretList.class);
            for (int i = 0; i < secrets.size(); i++) {
                assertThat(RELOADER.digestsOfSecret(parsed.getItems().get(i)))
                        .isEqualTo(RELOADER.digestsOfSecret(secrets.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }

        List<io.fabric8.kubernetes.api.model.ConfigMap> configMaps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] blob = new byte[ValueBuffers.POOLED_FROM * (i + 1)];
            random.nextBytes(blob);
            configMaps.add(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("cm-" + i)
                    .endMetadata().addToData("text", "x".repeat(ValueBuffers.POOLED_FROM + i))
                    .addToBinaryData("blob", Base64.getEncoder().encodeToString(blob)).build());
        }
        byte[] cmJson = JSON.asJson(new io.fabric8.kubernetes.api.model.ConfigMapListBuilder().withItems(configMaps)
                .build()).getBytes(StandardCharsets.UTF_8);
        io.fabric8.kubernetes.api.model.ConfigMapList parsed = JSON.unmarshal(new String(SourceListDigesterProperties
                .rewrite(SourceListDigester.Kind.CONFIGMAP, RELOADER, cmJson, 65536), StandardCharsets.UTF_8),
                io.fabric8.kubernetes.api.model.ConfigMapList.class);
        for (int i = 0; i < configMaps.size(); i++) {
            assertThat(parsed.getItems().get(i).getBinaryData()).isNullOrEmpty();
            assertThat(RELOADER.digestsOfConfigMap(parsed.getItems().get(i)))
                    .isEqualTo(RELOADER.digestsOfConfigMap(configMaps.get(i)));
        }
    }

    @Test
    void aLargeValueThatIsNotBase64LeavesItsSecretWholeAndTheNextIsStillDigested() {
        String notBase64 = "A".repeat(ValueBuffers.BLOCK * 2) + "*" + "A".repeat(ValueBuffers.POOLED_FROM);
        byte[] good = new byte[ValueBuffers.POOLED_FROM * 2];
        new Random(3).nextBytes(good);
        List<Secret> secrets = List.of(
                new SecretBuilder().withNewMetadata().withName("good").endMetadata()
                        .addToData("v", Base64.getEncoder().encodeToString(good)).build());
        String list = "{\"items\":[{\"metadata\":{\"name\":\"bad\"},\"data\":{\"v\":\"" + notBase64 + "\"}},"
                + JSON.asJson(secrets.get(0)) + "]}";
        String rewritten = new String(SourceListDigesterProperties.rewrite(SourceListDigester.Kind.SECRET, RELOADER,
                list.getBytes(StandardCharsets.UTF_8), 65536), StandardCharsets.UTF_8);
        SecretList parsed = JSON.unmarshal(rewritten, SecretList.class);
        assertThat(parsed.getItems().get(0).getData()).containsEntry("v", notBase64); // hashed whole, and fails there
        assertThat(parsed.getItems().get(1).getData()).isNullOrEmpty();
        assertThat(RELOADER.digestsOfSecret(parsed.getItems().get(1))).isEqualTo(RELOADER.digestsOfSecret(secrets.get(0)));
    }
}
