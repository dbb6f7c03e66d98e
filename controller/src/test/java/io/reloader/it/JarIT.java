package io.reloader.it;

import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code target/reloader.jar} run as a user runs it: a separate JVM, a kubeconfig, flags, signals. */
class JarIT extends HarnessIT {
    private static final Path JAR = Path.of("target", "reloader.jar");
    private Process process;
    @TempDir
    Path tmp;

    @AfterEach
    void tearDown() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private Process launch(List<String> flags) throws IOException {
        return launch(List.of(), flags);
    }

    private Process launch(List<String> jvmFlags, List<String> flags) throws IOException {
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: mock
                current-context: mock
                users:
                - name: mock
                  user:
                    token: test
                """.formatted(h.server.url("/").replaceAll("/$", "")));
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(flags);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.log").toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().remove("KUBERNETES_NAMESPACE");
        return pb.start();
    }

    private String output() throws IOException {
        return Files.readString(tmp.resolve("out.log"), StandardCharsets.UTF_8);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void theJarReloadsServesMetricsAndStopsOnSigterm() throws Exception {
        h.configMap("shop", "app-config", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        process = launch(List.of("--log-format=json", "--http-port=" + port, "--coalesce-window=0s"));
        HttpClient http = HttpClient.newHttpClient();
        String ready = "http://127.0.0.1:" + port + "/ready";
        await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().untilAsserted(() ->
                assertThat(http.send(HttpRequest.newBuilder(URI.create(ready)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200));
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/live"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("alive");

        h.updateConfigMap("shop", "app-config", Map.of("k", "v2"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_APP_CONFIG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));

        // The counter moves after the write's response is handled, a moment after the change is visible.
        URI scrape = URI.create("http://127.0.0.1:" + port + "/metrics");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(scrape).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("reloader_reload_executed_total{success=\"true\"} 1.0"));
        String metrics = http.send(HttpRequest.newBuilder(scrape).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("reloader_reload_executed_total{success=\"true\"} 1.0")
                .contains("reloader_reload_executed_total{success=\"false\"} 0.0")
                .containsPattern("rest_client_requests_total\\{code=\"20[02]\",host=\"[^\"]+\",method=\"PATCH\"} 1.0")
                .contains("# TYPE rest_client_request_duration_seconds histogram")
                .contains("process_cpu_seconds_total").contains("process_resident_memory_bytes");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(output()).contains("\"msg\":\"Changes detected in 'app-config' "
                + "of type 'CONFIGMAP' in namespace 'shop'; updated 'web' of type 'Deployment' in namespace 'shop'\""));
        assertThat(output()).contains("{\"level\":\"info\",\"msg\":\"Starting Reloader\",\"time\":\"");

        long stopAsked = System.nanoTime();
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stops within 10 s of SIGTERM").isTrue();
        System.out.printf("controller stopped %d ms after SIGTERM%n", (System.nanoTime() - stopAsked) / 1_000_000);
    }

    @Test
    void killDashNineInABurstThenRestartCatchesUpInExactlyOneWrite() throws Exception {
        h.configMap("shop", "a", Map.of("k", "0"));
        h.configMap("shop", "b", Map.of("k", "0"));
        h.configMap("shop", "control", Map.of("k", "0"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("a", "b")));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "control", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("control")));
        // A window far longer than the kill takes: the burst below is certainly pending, not written, when killed.
        List<String> flags = List.of("--http-port=0", "--coalesce-window=3s");
        process = launch(flags);
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(output()).contains("Reloader is ready"));
        h.updateConfigMap("shop", "a", Map.of("k", "1"));
        h.updateConfigMap("shop", "b", Map.of("k", "1"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(var("web", "A")).isEqualTo(hashOf(Map.of("k", "1")));
            assertThat(var("web", "B")).isEqualTo(hashOf(Map.of("k", "1")));
        });

        h.updateConfigMap("shop", "a", Map.of("k", "2"));
        h.updateConfigMap("shop", "b", Map.of("k", "2"));
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9 inside the coalescing window
        long generationAfterKill = h.get(WorkloadKind.DEPLOYMENT, "shop", "web").getMetadata().getGeneration();
        assertThat(var("web", "A")).as("killed before the burst was written").isEqualTo(hashOf(Map.of("k", "1")));

        process = launch(flags);
        // Both markers hold an older hash than their source now has: both are caught up, in one write.
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(var("web", "A")).isEqualTo(hashOf(Map.of("k", "2")));
            assertThat(var("web", "B")).isEqualTo(hashOf(Map.of("k", "2")));
        });
        // Barrier: a later change to another workload is written, so anything still due for web was too.
        h.updateConfigMap("shop", "control", Map.of("k", "1"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("control", "CONTROL")).isEqualTo(hashOf(Map.of("k", "1"))));
        long generation = h.get(WorkloadKind.DEPLOYMENT, "shop", "web").getMetadata().getGeneration();
        assertThat(generation - generationAfterKill).as("the missed burst is caught up in exactly one write")
                .isEqualTo(1);
    }

    private String var(String workload, String source) {
        return h.env(WorkloadKind.DEPLOYMENT, "shop", workload, "app", "STAKATER_" + source + "_CONFIGMAP");
    }

    /** With the image's JVM flags the controller, once ready, tightens the heap's bounds and returns what start-up grew. */
    @Test
    void withTheImagesFlagsTheStartupHeapIsReturnedOnceReady() throws Exception {
        h.configMap("default", "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "default", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        List<String> jvm = new ArrayList<>(List.of(io.reloader.cli.JvmFlags.RECOMMENDED.split(" ")));
        jvm.add("-XX:MaxRAM=384m");
        process = launch(jvm, List.of("--http-port=0", "--log-level=debug"));
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(output())
                .containsPattern("start-up heap returned: committed \\d+ MiB -> \\d+ MiB \\(heap free bounds now 10-20%\\)"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("committed (\\d+) MiB -> (\\d+) MiB").matcher(output());
        assertThat(m.find()).isTrue();
        // An empty cluster's heap is small already (it may even grow a little to keep 10% free); it stays far
        // below the ceiling of 30% of 384 MiB.
        assertThat(Integer.parseInt(m.group(2))).isLessThan(64);
        h.updateConfigMap("default", "cfg", Map.of("k", "v2")); // and it goes on reloading
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "default",
                "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
    }

    /**
     * Under the image's heap settings: a pattern Go rejects (re2j alone would expand it until the heap is gone)
     * is a Warning Event, the other workload reloads, and eight stalled connections do not block the probes.
     */
    @Test
    void theImagesHeapSurvivesAHostilePatternAndStalledClientsDoNotBlockTheProbes() throws Exception {
        h.configMap("tenant", "cfg", Map.of("k", "v"));
        h.configMap("tenant", "aaa", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "tenant", "hostile",
                Map.of("configmap.reloader.stakater.com/reload", "((a{1000}){1000}){1000}"), envFromConfigMaps()));
        h.create(workload(WorkloadKind.DEPLOYMENT, "tenant", "control", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        process = launch(List.of("-XX:+UseSerialGC", "-Xmx128m"), List.of("--http-port=" + port));
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
        await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().untilAsserted(() ->
                assertThat(http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200));
        h.updateConfigMap("tenant", "aaa", Map.of("k", "v2"));
        h.updateConfigMap("tenant", "cfg", Map.of("k", "v2"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "tenant", "control", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events("tenant")).anyMatch(e ->
                "ReloadAnnotationInvalid".equals(e.getReason()) && "hostile".equals(e.getInvolvedObject().getName())));
        assertThat(process.isAlive()).isTrue();

        List<java.net.Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                s.getOutputStream().write('G');
                stalled.add(s);
            }
            for (String path : List.of("/live", "/ready", "/metrics")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(java.time.Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(200);
            }
        } finally {
            for (java.net.Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void aBadFlagFailsAtStartupWithTheAllowedValuesAndWritesNothing() throws Exception {
        int before = h.server.getRequestCount();
        process = launch(List.of("--reload-strategy=rolling"));
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output()).contains("reload-strategy must be one of: env-vars, annotations");
        assertThat(h.server.getRequestCount()).isEqualTo(before);
    }
}
