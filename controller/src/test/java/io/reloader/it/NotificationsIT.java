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
class NotificationsIT extends HarnessTest {
    private HttpServer receiver;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void tearDown() throws Exception {
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
        await().atMost(20, TimeUnit.SECONDS).until(() -> bodies.size() == 1);
        assertThat(bodies.get(0)).isEqualTo("{\"webhook\":\"update successful\"}");
        assertThat(h.logLines()).anyMatch(l -> l.contains("Changes detected in 'cfg' of type 'CONFIGMAP' in namespace "
                + "'shop', Sending webhook to '" + url() + "'"));
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
        await().atMost(20, TimeUnit.SECONDS).until(() -> bodies.size() == 1);
        assertThat(h.logLines()).anyMatch(l -> l.contains("Sending webhook to 'http://REDACTED@127.0.0.1:"
                + receiver.getAddress().getPort() + "/hook?REDACTED'"));
        assertThat(String.join("\n", h.logLines())).doesNotContain("pa55w0rd").doesNotContain("t0k3n");
    }

    @Test
    void anUnreachableAlertUrlIsLoggedWithoutItsToken() {
        int closedPort = receiver.getAddress().getPort();
        receiver.stop(0);
        reloadOnly(Map.of("ALERT_ON_RELOAD", "true", "ALERT_WEBHOOK_URL",
                "http://127.0.0.1:" + closedPort + "/services/T0?token=t0k3n"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> h.logLines().stream()
                .anyMatch(l -> l.contains("Error sending alert")));
        assertThat(String.join("\n", h.logLines())).doesNotContain("t0k3n");
        assertThat(h.metrics().scrape()).contains("reloader_alerts_sent_total{success=\"false\"} 1.0");
    }

    private void reloadOnly(Map<String, String> env) {
        h.configMap("shop", "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.start(env);
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> ControllerHarness.hashOf(Map.of("k", "v2"))
                .equals(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")));
    }

    /** One reload with the given alert environment; returns once the receiver got the alert. */
    private void reloadWithAlerts(Map<String, String> env) {
        h.configMap("shop", "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.start(env, "--coalesce-window=0s");
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> bodies.size() == 1);
    }

    @Test
    void slackAlertsFollowEachReload() {
        reloadWithAlerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_SINK", " Slack ", "ALERT_WEBHOOK_URL", url(),
                             "ALERT_ADDITIONAL_INFO", "prod"));
        assertThat(bodies.get(0)).isEqualTo("{\"attachments\":[{\"color\":\"good\",\"author_name\":\"Reloader\","
                + "\"text\":\"prod : Reloader detected changes in *cfg* of type *CONFIGMAP* in namespace *shop*. "
                + "Hence reloaded *web* of type *Deployment* in namespace *shop*\"}]}");
        assertThat(contentTypes.get(0)).isEqualTo("application/json");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"teams", "gchat"})
    void teamsAndGoogleChatGetATextObject(String sink) {
        reloadWithAlerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_SINK", sink, "ALERT_WEBHOOK_URL", url()));
        assertThat(bodies.get(0)).isEqualTo("{\"text\":\"Reloader detected changes in *cfg* of type *CONFIGMAP* in "
                + "namespace *shop*. Hence reloaded *web* of type *Deployment* in namespace *shop*\"}");
    }

    @Test
    void rawAlertsArePlainTextWithoutStars() {
        reloadWithAlerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_WEBHOOK_URL", url()));
        assertThat(bodies.get(0)).isEqualTo("Reloader detected changes in cfg of type CONFIGMAP in namespace shop. "
                + "Hence reloaded web of type Deployment in namespace shop");
        assertThat(contentTypes.get(0)).startsWith("text/plain");
    }
}
