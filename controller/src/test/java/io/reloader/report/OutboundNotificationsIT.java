package io.reloader.report;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.reloader.config.AlertOptions;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts and webhooks against a local endpoint that misbehaves: a body that never ends is cut by the deadline
 * and the next post still goes out; a hung endpoint fills the bounded queue and the overflow is counted; the
 * response body is never logged; the URL appears only as scheme and host.
 */
class OutboundNotificationsIT {
    private static final String PATH = "/services/T000/B000/XXXX";
    private static final SourceChange CHANGE = new SourceChange(new SourceRef(SourceType.CONFIGMAP, "shop", "cfg"),
            ChangeType.UPDATED, "h", false, false);
    private static final WorkloadKey WEB = new WorkloadKey(WorkloadKind.DEPLOYMENT, "shop", "web");

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    /** How the n-th request (from 1) is answered: "hang-body", "hang", or a plain 200 with a secret body. */
    private volatile java.util.function.IntFunction<String> behaviour = n -> "ok";
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final ReloaderMetrics metrics = new ReloaderMetrics();

    @BeforeEach
    void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            int n = requests.incrementAndGet();
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                switch (behaviour.apply(n)) {
                    case "hang-body" -> {
                        ex.sendResponseHeaders(200, 0); // chunked: headers now, the body never ends
                        OutputStream out = ex.getResponseBody();
                        out.write("partial".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        release.await(30, TimeUnit.SECONDS);
                    }
                    case "hang" -> release.await(30, TimeUnit.SECONDS);
                    default -> {
                        byte[] body = "secret-response-body".getBytes(StandardCharsets.UTF_8);
                        ex.sendResponseHeaders(200, body.length);
                        ex.getResponseBody().write(body);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        server.start();
        logs.start();
        ((Logger) LoggerFactory.getLogger("reloader")).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        ((Logger) LoggerFactory.getLogger("reloader")).detachAppender(logs);
        server.stop(0);
        metrics.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    private String logText() {
        return String.join("\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    private AlertSender alerts(String sink, boolean structured, Clock clock, Duration deadline) {
        return new AlertSender(new AlertOptions(true, url(), sink, "", structured, null), metrics, clock, deadline);
    }

    @Test
    void aBodyThatNeverEndsIsCutByTheDeadlineAndTheNextAlertStillGoesOut() {
        behaviour = n -> n == 1 ? "hang-body" : "ok";
        try (AlertSender sender = alerts("slack", false, Clock.systemUTC(), Duration.ofMillis(500))) {
            sender.reloaded(CHANGE, WEB);
            sender.reloaded(CHANGE, WEB);
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(requests.get()).isEqualTo(2);
                assertThat(metrics.scrape()).contains("reloader_alerts_sent_total{success=\"true\"} 1.0");
            });
        }
        assertThat(metrics.scrape()).contains("reloader_alerts_sent_total{success=\"false\"} 1.0");
        assertThat(logText()).contains("Error sending alert: TimeoutException")
                .contains("http://127.0.0.1:" + server.getAddress().getPort() + "/\u2026")
                .doesNotContain("XXXX").doesNotContain("T000");
    }

    @Test
    void aHungEndpointFillsTheBoundedQueueAndTheOverflowIsCounted() {
        behaviour = n -> "hang";
        try (AlertSender sender = alerts("teams", false, Clock.systemUTC(), Duration.ofSeconds(30))) {
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                sender.reloaded(CHANGE, WEB);
                assertThat(requests.get()).as("requests the hung endpoint received").isEqualTo(1);
            });
            for (int i = 0; i < HttpNotifier.CAPACITY + 20; i++) {
                sender.reloaded(CHANGE, WEB);
            }
            assertThat(metrics.scrape()).containsPattern("reloader_notifications_dropped_total\\{sink=\"teams\"} "
                    + "(1[0-9]|2[0-9])\\.0");
        }
        assertThat(metrics.scrape()).doesNotContain("XXXX").doesNotContain("127.0.0.1");
    }

    @Test
    void theWebhookLogsTheStatusNeverTheResponseBody() {
        try (WebhookSender sender = new WebhookSender(url(), metrics, Duration.ofSeconds(5))) {
            sender.changed(CHANGE);
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(logText()).contains("HTTP status 200"));
        }
        assertThat(bodies).containsExactly("{\"webhook\":\"update successful\"}");
        assertThat(logText()).doesNotContain("secret-response-body").doesNotContain("XXXX")
                .contains("Sending webhook to 'http://127.0.0.1:" + server.getAddress().getPort() + "/\u2026'");
    }

    @Test
    void aWebhookWhoseBodyNeverEndsIsRetriedWithinBoundsAndDoesNotBlockTheNext() {
        behaviour = n -> n == 1 ? "hang-body" : "ok";
        try (WebhookSender sender = new WebhookSender(url(), metrics, Duration.ofMillis(500))) {
            sender.changed(CHANGE);
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(logText()).contains("HTTP status 200"));
        }
        assertThat(logText()).contains("Error syncing events: TimeoutException").doesNotContain("XXXX");
    }

    @Test
    void v2sStructuredRawAlert() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-04T05:06:07.891Z"));
        try (AlertSender sender = new AlertSender(new AlertOptions(true, url(), "raw", "prod", true, null), metrics,
                clock, Duration.ofSeconds(5))) {
            sender.reloaded(CHANGE, WEB);
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(bodies.size()).isEqualTo(1));
        }
        assertThat(bodies.get(0)).isEqualTo("{\"event\":\"reload\",\"workloadKind\":\"Deployment\",\"workloadName\":"
                + "\"web\",\"workloadNamespace\":\"shop\",\"resourceKind\":\"ConfigMap\",\"resourceName\":\"cfg\","
                + "\"resourceNamespace\":\"shop\",\"timestamp\":\"2026-03-04T05:06:07Z\",\"additional\":\"prod\"}");
    }
}
