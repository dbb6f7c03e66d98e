package io.reloader.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.cli.ControllerFlags;
import io.reloader.cli.ControllerRuntime;
import io.reloader.report.ReloaderMetrics;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code --enable-pprof} with {@code --pprof-addr}: that address serves /metrics, /live and /ready too. */
class DiagnosticsAddressIT extends HarnessIT {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePprofAddressServesTheSameEndpoints() throws Exception {
        int port = freePort();
        try (ReloaderMetrics metrics = new ReloaderMetrics();
             KubernetesClient client = ControllerHarness.controllerClient(h.server, "Reloader", metrics, Map.of());
             ControllerRuntime runtime = new ControllerRuntime(client, ControllerFlags.parse(Map.of(),
                     "--http-port=0", "--enable-pprof", "--pprof-addr=127.0.0.1:" + port), metrics)) {
            runtime.start();
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(runtime.isReady()).as("runtime::isReady").isTrue());
            assertThat(get(port, "/live").body()).isEqualTo("alive");
            assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
            HttpResponse<String> scrape = get(port, "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("# TYPE reloader_reload_executed_total counter");
        }
    }

    @Test
    void withoutEnablePprofTheAddressIsNotServed() {
        assertThat(ControllerFlags.parse(Map.of(), "--pprof-addr=127.0.0.1:1").http().pprofAddress()).isNull();
        assertThat(ControllerFlags.parse(Map.of(), "--enable-pprof").http().pprofAddress().getPort()).isEqualTo(6060);
    }
}
