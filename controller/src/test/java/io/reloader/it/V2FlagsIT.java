package io.reloader.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.cli.ControllerFlags;
import io.reloader.cli.ControllerRuntime;
import io.reloader.report.ReloaderMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reloader v2's {@code --metrics-addr} and {@code --health-addr}: two servers, each with its own endpoints. */
class V2FlagsIT extends HarnessIT {

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private ControllerRuntime runtime(ReloaderMetrics metrics, KubernetesClient client, String... flags) {
        return new ControllerRuntime(client, ControllerFlags.parse(Map.of(), flags), metrics);
    }

    @Test
    void metricsAndProbesAreServedOnSeparatePorts() throws Exception {
        try (ReloaderMetrics metrics = new ReloaderMetrics();
             KubernetesClient client = ControllerHarness.controllerClient(h.server, "Reloader", metrics, Map.of());
             ControllerRuntime runtime = runtime(metrics, client, "--metrics-addr=127.0.0.1:0",
                     "--health-addr=127.0.0.1:0")) {
            runtime.start();
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(runtime.isReady()).as("runtime::isReady").isTrue());
            int metricsPort = runtime.metricsPort();
            int healthPort = runtime.healthPort();
            assertThat(metricsPort).isPositive().isNotEqualTo(healthPort);
            assertThat(healthPort).isPositive();

            HttpResponse<String> scrape = get(metricsPort, "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("# TYPE reloader_reload_executed_total counter");
            assertThat(get(metricsPort, "/live").statusCode()).as("no probes on the metrics port").isEqualTo(404);

            assertThat(get(healthPort, "/live").body()).isEqualTo("alive");
            assertThat(get(healthPort, "/healthz").body()).isEqualTo("alive");
            assertThat(get(healthPort, "/ready").statusCode()).isEqualTo(200);
            assertThat(get(healthPort, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(healthPort, "/metrics").statusCode()).as("no metrics on the health port").isEqualTo(404);
        }
    }

    @Test
    void withoutV2AddressesOnePortServesEverythingAsInV1() throws Exception {
        try (ReloaderMetrics metrics = new ReloaderMetrics();
             KubernetesClient client = ControllerHarness.controllerClient(h.server, "Reloader", metrics, Map.of());
             ControllerRuntime runtime = runtime(metrics, client, "--http-port=" + freePort())) {
            runtime.start();
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(runtime.isReady()).as("runtime::isReady").isTrue());
            assertThat(runtime.healthPort()).isEqualTo(runtime.metricsPort());
            assertThat(get(runtime.metricsPort(), "/metrics").statusCode()).isEqualTo(200);
            assertThat(get(runtime.metricsPort(), "/live").body()).isEqualTo("alive");
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** As a user runs it: the jar exits 1 before any API request, naming the flag. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--metrics-addr=localhost|--metrics-addr must be [host]:port",
            "--health-addr=:http|--health-addr must be [host]:port with a port between 0 and 65535",
            "--is-openshift=yes|--is-openshift must be one of: true, false, auto, not 'yes'",
            "--enable-csi-integration=maybe|enable-csi-integration"})
    void aBadV2ValueExitsOneNamingTheFlag(String flag, String message) throws Exception {
        int before = h.server.getRequestCount();
        Path out = Path.of("target", "v2flags-" + Math.abs(flag.hashCode()) + ".log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "reloader.jar").toString(), flag)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(java.nio.file.Files.readString(out, StandardCharsets.UTF_8)).contains(message);
            assertThat(h.server.getRequestCount()).isEqualTo(before);
        } finally {
            p.destroyForcibly();
        }
    }

    private static final io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext DEPLOYMENT_CONFIGS =
            new io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext.Builder()
                    .withGroup("apps.openshift.io").withVersion("v1").withPlural("deploymentconfigs")
                    .withKind("DeploymentConfig").withScope("Namespaced").build();

    @Test
    @SuppressWarnings("unchecked")
    void isOpenshiftTrueReloadsDeploymentConfigs() {
        h.server.expectCustomResource(DEPLOYMENT_CONFIGS);
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        io.fabric8.kubernetes.api.model.GenericKubernetesResource dc = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
        dc.setApiVersion("apps.openshift.io/v1");
        dc.setKind("DeploymentConfig");
        dc.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("legacy").withNamespace("shop")
                .addToAnnotations("reloader.stakater.com/auto", "true").build());
        dc.setAdditionalProperty("spec", Map.of("replicas", 1, "template", new io.fabric8.kubernetes.client.utils
                .KubernetesSerialization().convertValue(new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder()
                        .withNewMetadata().addToLabels("app", "legacy").endMetadata()
                        .withSpec(Workloads.envFromConfigMaps("cfg")).build(), Map.class)));
        h.client.genericKubernetesResources(DEPLOYMENT_CONFIGS).inNamespace("shop").resource(dc).create();
        h.start("--is-openshift=true");
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        String hash = ControllerHarness.hashOf(Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            var r = h.client.genericKubernetesResources(DEPLOYMENT_CONFIGS).inNamespace("shop").withName("legacy").get();
            var spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
            var template = (Map<String, Object>) spec.get("template");
            var containers = (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers");
            var env = (List<Map<String, Object>>) containers.get(0).get("env");
            assertThat(env).as("the DeploymentConfig's env").isNotNull().anyMatch(e ->
                    "STAKATER_CFG_CONFIGMAP".equals(e.get("name")) && hash.equals(e.get("value")));
        });
    }
}
