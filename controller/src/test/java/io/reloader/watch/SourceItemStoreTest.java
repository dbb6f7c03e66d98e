package io.reloader.watch;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.reloader.hash.SourceHasher;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SourceItemStoreTest {
    private static final String IGNORE = "reloader.stakater.com/ignore";
    private static final String SECRET_VALUE = Base64.getEncoder().encodeToString("s3cr3t-value".getBytes());

    /** The production definition of the Secret store, as the source watcher builds it. */
    private static SourceItemStore<Secret> store(boolean keepLabels) {
        return new SourceItemStore<>(SourceItemStore.secrets(SourceHasher.reloaderCompatible()), Set.of(IGNORE),
                keepLabels);
    }

    private static Secret secret(String rv) {
        return new SecretBuilder().withNewMetadata().withNamespace("ns").withName("db").withResourceVersion(rv)
                .addToLabels("team", "a").addToAnnotations(IGNORE, "true")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{\"v\":\""
                        + SECRET_VALUE + "\"}}").endMetadata()
                .addToData("v", SECRET_VALUE).addToStringData("w", "plain-s3cr3t").build();
    }

    @Test
    void hashesOnArrivalAndKeepsNoDataInTheObjectOrTheStore() {
        SourceItemStore<Secret> store = store(false);
        Secret s = secret("41");
        String expected = SourceHasher.reloaderCompatible().digestsOfSecret(secret("41")).hash();

        assertThat(store.put("ns/db", s)).isNull();

        // What the informer queues for the handlers: the digest instead of the data, only the kept annotation.
        assertThat(store.digestOf(s).hash()).isEqualTo(expected);
        assertThat(store.digestOf(s).keys().digest("v")).isNotNull();
        assertThat(s.getData()).isNull();
        assertThat(s.getStringData()).as("stringData is dropped too").isNull();
        assertThat(s.getMetadata().getAnnotations()).containsOnlyKeys(IGNORE);
        // What the store gives back: identity and version, nothing else.
        assertThat(store.get("ns/db").getMetadata().getResourceVersion()).isEqualTo("41");
        Secret kept = store.get("ns/db");
        assertThat(kept.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(kept.getMetadata().getName()).isEqualTo("db");
        assertThat(kept.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(kept.getData()).isNullOrEmpty();
        assertThat(kept.toString()).doesNotContain(SECRET_VALUE).doesNotContain("plain-s3cr3t");
        assertThat(s.toString()).doesNotContain(SECRET_VALUE).doesNotContain("plain-s3cr3t");
    }

    @Test
    void configMapsDropTextAndBinaryDataAndKeepTheirDigest() {
        SourceItemStore<ConfigMap> store = new SourceItemStore<>(
                SourceItemStore.configMaps(SourceHasher.reloaderCompatible()), Set.of(IGNORE), false);
        ConfigMap cm = configMap();
        String expected = SourceHasher.reloaderCompatible().digestsOfConfigMap(configMap()).hash();
        store.put("ns/app", cm);
        assertThat(store.digestOf(cm).hash()).isEqualTo(expected);
        assertThat(store.digestOf(cm).keys().digest("blob")).isNotNull();
        assertThat(cm.getData()).isNull();
        assertThat(cm.getBinaryData()).isNull();
        assertThat(store.get("ns/app").getMetadata().getResourceVersion()).isEqualTo("3");
    }

    private static ConfigMap configMap() {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("ns").withName("app").withResourceVersion("3")
                .endMetadata().addToData("text", "v").addToBinaryData("blob", SECRET_VALUE).build();
    }

    @Test
    void anUpdateReturnsThePreviousEntryAndLabelsAreKeptOnlyForASelector() {
        SourceItemStore<Secret> store = store(true);
        assertThat(store.put("ns/db", secret("41"))).isNull();
        Secret previous = store.put("ns/db", secret("42"));
        assertThat(previous.getMetadata().getName()).isEqualTo("db");
        assertThat(previous.getMetadata().getResourceVersion()).isEqualTo("41");
        assertThat(store.get("ns/db").getMetadata().getLabels()).isEqualTo(Map.of("team", "a"));
        assertThat(store(false).put("ns/db", secret("1"))).isNull();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.keySet()).containsExactly("ns/db");
        assertThat(store.remove("ns/db").getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(store.get("ns/db")).isNull();
        assertThat(store.size()).isZero();
    }

    @Test
    void anObjectAlreadyDigestedIsNotHashedAgain() {
        SourceItemStore<Secret> store = store(false);
        Secret s = secret("7");
        store.put("ns/db", s);
        SourceItemStore.Digest first = store.digestOf(s);
        store.put("ns/db", s); // a relist may hand the same object over again: its data is gone by then
        assertThat(store.digestOf(s)).isSameAs(first);
    }
}
