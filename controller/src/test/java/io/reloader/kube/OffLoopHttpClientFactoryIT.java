package io.reloader.kube;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@EnableKubernetesMockClient(crud = true)
class OffLoopHttpClientFactoryIT {
    KubernetesMockServer server;

    @Test
    void responsesCompleteOnTheWorkerNotOnTheEventLoop() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-worker"));
        try (KubernetesClient client = server.createClient(b -> b.withHttpClientFactory(
                new OffLoopHttpClientFactory(new Vertx5HttpClientFactory(), worker)))) {
            client.configMaps().inNamespace("ns").resource(new ConfigMapBuilder().withNewMetadata().withName("c")
                    .endMetadata().addToData("k", "v").build()).create();
            HttpClient http = client.getHttpClient();
            HttpRequest request = http.newHttpRequestBuilder().uri(server.url("/api/v1/namespaces/ns/configmaps/c"))
                    .build();
            String thread = http.sendAsync(request, String.class)
                    .thenApply(response -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS);
            assertThat(thread).isEqualTo("test-worker");
            // And the client as a whole still works through the wrapper.
            assertThat(client.configMaps().inNamespace("ns").withName("c").get().getData()).containsEntry("k", "v");
        } finally {
            worker.shutdownNow();
        }
    }
}
