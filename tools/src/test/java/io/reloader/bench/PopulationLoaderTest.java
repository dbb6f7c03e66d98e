package io.reloader.bench;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The Helm release Secrets the benchmark adds look as Helm's Secret driver leaves them, at the size asked for. */
class PopulationLoaderTest {
    @Test
    void helmReleaseSecretsAreWrittenAsHelmWritesThem() {
        Population p = new Population(0, 0, 0, 0, 0, 2, 0, 0, 10, 16 * 1024);
        ScaledCrudDispatcher store = new ScaledCrudDispatcher();
        long bytes = new PopulationLoader(p, store, new Random(1)).loadHelm();

        SecretList list = Serialization.unmarshal(store.handleGet("/api/v1/secrets").getBody().readUtf8(),
                SecretList.class);
        assertThat(list.getItems()).hasSize(10);
        Secret latest = list.getItems().stream()
                .filter(s -> s.getMetadata().getName().equals("sh.helm.release.v1.release-1.v5")).findFirst().orElseThrow();
        assertThat(latest.getType()).isEqualTo("helm.sh/release.v1");
        assertThat(latest.getMetadata().getLabels()).containsEntry("owner", "helm").containsEntry("name", "release-1")
                .containsEntry("status", "deployed").containsEntry("version", "5");
        assertThat(latest.getMetadata().getAnnotations()).isNullOrEmpty();
        // data.release is base64 of what Helm stores, which is base64 text of the gzipped release: 16 KiB of it.
        byte[] stored = Base64.getDecoder().decode(latest.getData().get("release"));
        assertThat(stored).hasSize(16 * 1024);
        assertThat(Base64.getDecoder().decode(stored)).hasSize(12 * 1024);
        assertThat(bytes).isGreaterThan(10L * 16 * 1024 * 4 / 3);
    }
}
