package io.reloader.it;

import com.sun.net.httpserver.HttpServer;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Webhook mode and reload alerts, received by a local HTTP server. */
class NotificationsIT extends HarnessIT {
    private HttpServer receiver;
    private volatile int status = 200;
    private volatile boolean hangFirstBody;
    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.createContext("/", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
            if (hangFirstBody && bodies.size() == 1) {
                ex.sendResponseHeaders(200, 0); // headers now, a body that never ends
                ex.getResponseBody().write("partial".getBytes(StandardCharsets.UTF_8));
                ex.getResponseBody().flush();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        receiver.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void webhookModeSendsTheWebhookInsteadOfReloading() {
        h.configMap("shop", "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.start("--webhook-url=" + url());
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(bodies.size()).isEqualTo(1));
        assertThat(bodies.get(0)).isEqualTo("{\"webhook\":\"update successful\"}");
        assertThat(h.logLines()).anyMatch(l -> l.contains("Changes detected in 'cfg' of type 'CONFIGMAP' in namespace "
                + "'shop', Sending webhook to 'http://127.0.0.1:" + receiver.getAddress().getPort() + "/\u2026'"));
        assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isNull();
        assertThat(h.patchesTo("/deployments/web")).isZero();
    }

    @Test
    void aWebhookTokenNeverReachesTheLog() {
        h.configMap("shop", "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        String secretUrl = "http://bot:pa55w0rd@127.0.0.1:" + receiver.getAddress().getPort() + "/hook?token=t0k3n";
        h.start("--webhook-url=" + secretUrl);
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(bodies.size()).isEqualTo(1));
        assertThat(h.logLines()).anyMatch(l -> l.contains("Sending webhook to 'http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/\u2026'"));
        assertThat(String.join("\n", h.logLines())).doesNotContain("pa55w0rd").doesNotContain("t0k3n");
    }

    /** Webhook URLs shaped like Slack's, Teams' and Discord's, whose secret is in the path, and its pieces. */
    private static final Map<String, List<String>> SHAPES = Map.of(
            "/services/T000/B000/XXXX", List.of("T000", "B000", "XXXX"),
            "/webhookb2/0f8e2c7a-1d3b-4c5e-9f60-7a8b9c0d1e2f@3a4b5c6d-7e8f-4012-8345-6789abcdef01/IncomingWebhook/"
                    + "5e6f7a8b9c0d4e1f/9b8a7c6d-5e4f-4321-8765-43210fedcba9",
            List.of("0f8e2c7a", "3a4b5c6d", "5e6f7a8b9c0d4e1f", "9b8a7c6d", "IncomingWebhook"),
            "/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789-abcdef",
            List.of("123456789012345678", "AbCdEfGhIjKlMnOp", "api/webhooks"));

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> sinksAndShapes() {
        return java.util.stream.Stream.of("slack", "teams", "gchat", "raw", "raw-structured", "webhook-url")
                .flatMap(sink -> SHAPES.keySet().stream().sorted()
                        .map(path -> org.junit.jupiter.params.provider.Arguments.of(sink, path)));
    }

    /**
     * For every sink and for --webhook-url, with a URL whose path is the secret: after a change is sent (and
     * answered 500, so the error path logs too), the token is in no log line at trace level, no Event, not in
     * the meta-info ConfigMap and not in the metrics.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.MethodSource("sinksAndShapes")
    void theTokenInTheUrlPathIsNeverShown(String sink, String path) {
        status = 500;
        String secretUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
        ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory
                .getILoggerFactory();
        List<String> loggers = List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "reloader", "io.reloader");
        Map<String, ch.qos.logback.classic.Level> before = new java.util.HashMap<>();
        loggers.forEach(n -> before.put(n, ctx.getLogger(n).getLevel()));
        loggers.forEach(n -> ctx.getLogger(n).setLevel(ch.qos.logback.classic.Level.TRACE));
        try {
            h.configMap("shop", "cfg", Map.of("k", "v"));
            h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                    envFromConfigMaps("cfg")));
            String[] flags;
            Map<String, String> env;
            if (sink.equals("webhook-url")) {
                flags = new String[] {"--webhook-url=" + secretUrl};
                env = Map.of();
            } else {
                flags = sink.equals("raw-structured") ? new String[] {"--alert-structured"} : new String[0];
                env = Map.of("ALERT_ON_RELOAD", "true", "ALERT_SINK", sink.startsWith("raw") ? "" : sink,
                        "ALERT_WEBHOOK_URL", secretUrl);
            }
            h.start(env, flags);
            h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(bodies).isNotEmpty());
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.logLines()).anyMatch(l ->
                    l.contains("Error sending alert") || l.contains("HTTP status 500")));
            h.awaitIdle();
            io.reloader.cli.ControllerFlags parsed = new io.reloader.cli.ControllerFlags();
            new picocli.CommandLine(parsed).parseArgs(flags);
            io.reloader.report.MetaInfo.write(h.client, new io.reloader.config.SelfOptions("reloader", "", false),
                    parsed.metaInfoOptions());
        } finally {
            loggers.forEach(n -> ctx.getLogger(n).setLevel(before.get(n)));
        }
        String everything = String.join("\n", h.logLines()) + "\n"
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(h.events("shop")) + "\n"
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(h.client.configMaps().inNamespace("reloader")
                .withName("reloader-meta-info").get()) + "\n" + h.metrics().scrape();
        assertThat(everything).contains("http://127.0.0.1:" + receiver.getAddress().getPort() + "/\u2026");
        for (String secret : SHAPES.get(path)) {
            assertThat(everything).as(sink + ": " + secret).doesNotContain(secret);
        }
    }

    /**
     * An alert endpoint that answers with a body that never ends: reloads do not wait for it, the exchange is cut
     * at its deadline (15 s), and the next alert is delivered.
     */
    @Test
    void aHungAlertEndpointDelaysNeitherReloadsNorTheNextAlertPastItsDeadline() {
        hangFirstBody = true;
        reloadWithAlerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_SINK", "slack", "ALERT_WEBHOOK_URL", url()));
        h.updateConfigMap("shop", "cfg", Map.of("k", "v3"));
        await().atMost(5, TimeUnit.SECONDS).alias("the reload does not wait for the hung alert").untilAsserted(() ->
                assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app",
                        "STAKATER_CFG_CONFIGMAP")).isEqualTo(ControllerHarness.hashOf(Map.of("k", "v3"))));
        assertThat(bodies).hasSize(1);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(bodies.size()).isEqualTo(2));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.metrics().scrape()).contains("reloader_alerts_sent_total{success=\"true\"} 1.0"));
        assertThat(h.metrics().scrape()).contains("reloader_alerts_sent_total{success=\"false\"} 1.0");
        assertThat(h.logLines()).anyMatch(l -> l.contains("Error sending alert: TimeoutException"));
    }

    @Test
    void anUnreachableAlertUrlIsLoggedWithoutItsToken() {
        int closedPort = receiver.getAddress().getPort();
        receiver.stop(0);
        reloadOnly(Map.of("ALERT_ON_RELOAD", "true", "ALERT_WEBHOOK_URL",
                "http://127.0.0.1:" + closedPort + "/services/T0?token=t0k3n"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.logLines()).anyMatch(l -> l.contains("Error sending alert")));
        assertThat(String.join("\n", h.logLines())).doesNotContain("t0k3n");
        assertThat(h.metrics().scrape()).contains("reloader_alerts_sent_total{success=\"false\"} 1.0");
    }

    private void reloadOnly(Map<String, String> env) {
        h.configMap("shop", "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.start(env);
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(ControllerHarness.hashOf(Map.of("k", "v2"))));
    }

    /** One reload with the given alert environment; returns once the receiver got the alert. */
    private void reloadWithAlerts(Map<String, String> env) {
        h.configMap("shop", "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.start(env, "--coalesce-window=0s");
        ReloadCauseIT.updateAs(h, "shop", "cfg", Map.of("k", "v2"), "kubectl-edit");
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(bodies.size()).isEqualTo(1));
    }

    @Test
    void slackAlertsFollowEachReload() {
        reloadWithAlerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_SINK", " Slack ", "ALERT_WEBHOOK_URL", url(),
                             "ALERT_ADDITIONAL_INFO", "prod"));
        assertThat(bodies.get(0)).isEqualTo("{\"attachments\":[{\"color\":\"good\",\"author_name\":\"Reloader\","
                + "\"text\":\"prod : Reloader detected changes in *cfg* of type *CONFIGMAP* in namespace *shop*. "
                + "Hence reloaded *web* of type *Deployment* in namespace *shop* (keys: k; by: kubectl-edit)\"}]}");
        assertThat(contentTypes.get(0)).isEqualTo("application/json");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"teams", "gchat"})
    void teamsAndGoogleChatGetATextObject(String sink) {
        reloadWithAlerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_SINK", sink, "ALERT_WEBHOOK_URL", url()));
        assertThat(bodies.get(0)).isEqualTo("{\"text\":\"Reloader detected changes in *cfg* of type *CONFIGMAP* in "
                + "namespace *shop*. Hence reloaded *web* of type *Deployment* in namespace *shop* (keys: k; by: kubectl-edit)\"}");
    }

    @Test
    void rawAlertsArePlainTextWithoutStars() {
        reloadWithAlerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_WEBHOOK_URL", url()));
        assertThat(bodies.get(0)).isEqualTo("Reloader detected changes in cfg of type CONFIGMAP in namespace shop. "
                + "Hence reloaded web of type Deployment in namespace shop (keys: k; by: kubectl-edit)");
        assertThat(contentTypes.get(0)).startsWith("text/plain");
    }
}
