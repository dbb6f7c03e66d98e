package io.reloader.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.reloader.hash.SourceHasher;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Lists of many sources, of many chunks, read through the interceptor over the HTTP client as shipped. */
@EnableKubernetesMockClient(crud = true)
class SourceListInterceptorIT {
    private static final SourceHasher HASHER = SourceHasher.reloaderCompatible();
    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void everyListedSourceArrivesDigestedAndWithoutItsData() {
        List<Secret> secrets = new ArrayList<>();
        List<ConfigMap> configMaps = new ArrayList<>();
        String big = "x".repeat(64 * 1024); // lists of several MB: many chunks
        for (int i = 0; i < 60; i++) {
            secrets.add(client.secrets().inNamespace("ns").resource(new SecretBuilder().withNewMetadata()
                    .withName("s" + i).endMetadata().addToData("k", Base64.getEncoder()
                            .encodeToString((big + i).getBytes())).build()).create());
            configMaps.add(client.configMaps().inNamespace("ns").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("c" + i).endMetadata().addToData("k", big + i).build()).create());
        }
        ExecutorService worker = Executors.newFixedThreadPool(2);
        try (KubernetesClient digesting = server.createClient(b -> b.withHttpClientBuilderConsumer(h ->
                h.addOrReplaceInterceptor(SourceListInterceptor.NAME, new SourceListInterceptor(HASHER, worker))))) {
            for (int round = 0; round < 5; round++) {
                List<Secret> listed = digesting.secrets().inNamespace("ns").list().getItems();
                assertThat(listed).hasSize(60).allSatisfy(s -> assertThat(s.getData()).isNullOrEmpty());
                for (int i = 0; i < 60; i++) {
                    assertThat(HASHER.ofSecret(listed.get(i))).isEqualTo(HASHER.ofSecret(secrets.get(i)));
                }
                List<ConfigMap> cms = digesting.configMaps().inNamespace("ns").list().getItems();
                assertThat(cms).hasSize(60).allSatisfy(c -> assertThat(c.getData()).isNullOrEmpty());
                for (int i = 0; i < 60; i++) {
                    assertThat(HASHER.ofConfigMap(cms.get(i))).isEqualTo(HASHER.ofConfigMap(configMaps.get(i)));
                }
            }
            // A single object is not rewritten.
            assertThat(digesting.secrets().inNamespace("ns").withName("s1").get().getData()).containsKey("k");
        } finally {
            worker.shutdownNow();
        }
    }
}
