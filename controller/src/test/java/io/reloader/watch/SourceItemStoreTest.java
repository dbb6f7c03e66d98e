package io.reloader.watch;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.reloader.hash.SourceHasher;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SourceItemStoreTest {
    private static final String DIGEST = "test/digest";
    private static final String IGNORE = "reloader.stakater.com/ignore";
    private static final String SECRET_VALUE = Base64.getEncoder().encodeToString("s3cr3t-value".getBytes());

    private static SourceItemStore<Secret> store(boolean keepLabels) {
        return new SourceItemStore<>(new SourceItemStore.Kind<>(SourceHasher.reloaderCompatible()::digestsOfSecret,
                (s, d) -> {
                    s.setData(null);
                    s.setAdditionalProperty(DIGEST, d);
                }, s -> (SourceItemStore.Digest) s.getAdditionalProperties().get(DIGEST), Secret::new),
                Set.of(IGNORE), keepLabels);
    }

    private static Secret secret(String rv) {
        return new SecretBuilder().withNewMetadata().withNamespace("ns").withName("db").withResourceVersion(rv)
                .addToLabels("team", "a").addToAnnotations(IGNORE, "true")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{\"v\":\""
                        + SECRET_VALUE + "\"}}").endMetadata()
                .addToData("v", SECRET_VALUE).build();
    }

    @Test
    void hashesOnArrivalAndKeepsNoDataInTheObjectOrTheStore() {
        SourceItemStore<Secret> store = store(false);
        Secret s = secret("41");
        String expected = SourceHasher.reloaderCompatible().ofSecret(secret("41"));

        assertThat(store.put("ns/db", s)).isNull();

        // What the informer queues for the handlers: the digest instead of the data, only the kept annotation.
        assertThat(store.digestOf(s).hash()).isEqualTo(expected);
        assertThat(store.digestOf(s).keys().digest("v")).isNotNull();
        assertThat(s.getData()).isNull();
        assertThat(s.getMetadata().getAnnotations()).containsOnlyKeys(IGNORE);
        // What the store gives back: identity and version, nothing else.
        assertThat(store.get("ns/db").getMetadata().getResourceVersion()).isEqualTo("41");
        Secret kept = store.get("ns/db");
        assertThat(kept.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(kept.getMetadata().getName()).isEqualTo("db");
        assertThat(kept.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(kept.getData()).isNullOrEmpty();
        assertThat(kept.toString()).doesNotContain(SECRET_VALUE);
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
