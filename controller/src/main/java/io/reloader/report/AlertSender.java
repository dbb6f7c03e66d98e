package io.reloader.report;

import io.reloader.concurrent.Shutdown;
import io.reloader.config.GoJson;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reload alerts to Slack, Teams, Google Chat or a raw webhook (spec §9.5), configured by Reloader's
 * {@code ALERT_*} variables. Sending never blocks reloading: alerts go through a bounded queue to one sender
 * thread with a timeout; failures are logged and counted, never retried forever.
 */
public final class AlertSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    private static final int QUEUE = 1000;

    private final String url;
    private final String sink;
    private final String additionalInfo;
    private final HttpClient http;
    private final ReloaderMetrics metrics;
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "reloader-alerts");
                t.setDaemon(true);
                return t;
            });

    private AlertSender(String url, String sink, String additionalInfo, String proxy, ReloaderMetrics metrics) {
        this.url = url;
        this.sink = sink;
        this.additionalInfo = additionalInfo;
        this.metrics = metrics;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!proxy.isEmpty()) {
            URI p = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
            b.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort() < 0 ? 80 : p.getPort())));
        }
        this.http = b.build();
    }

    /** The sender configured by the environment, or null when alerts are off. */
    public static AlertSender fromEnv(Map<String, String> env, ReloaderMetrics metrics) {
        if (!"true".equals(env.getOrDefault("ALERT_ON_RELOAD", ""))) {
            return null;
        }
        String url = env.getOrDefault("ALERT_WEBHOOK_URL", "").trim();
        if (url.isEmpty()) {
            LOG.error("ALERT_WEBHOOK_URL env variable not provided");
            return null;
        }
        return new AlertSender(url, env.getOrDefault("ALERT_SINK", "").trim().toLowerCase(Locale.ROOT),
                env.getOrDefault("ALERT_ADDITIONAL_INFO", "").trim(), env.getOrDefault("ALERT_WEBHOOK_PROXY", "").trim(),
                metrics);
    }

    public void reloaded(SourceChange change, WorkloadKey key) {
        String message = "Reloader detected changes in *" + change.ref().name() + "* of type *"
                + change.ref().type().name() + "* in namespace *" + change.ref().namespace() + "*. Hence reloaded *"
                + key.name() + "* of type *" + key.kind().kindName() + "* in namespace *" + key.namespace() + "*";
        if (!additionalInfo.isEmpty()) {
            message = additionalInfo + " : " + message;
        }
        String text = message;
        try {
            executor.execute(() -> send(text));
        } catch (RejectedExecutionException e) {
            LOG.error("Error sending alert: alert queue full ({} pending), alert dropped", QUEUE);
            metrics.alert(false);
        }
    }

    /** Sends a message of this project's own (a stalled rollout) to the configured sink, prefixed as a reload alert. */
    public void sendMessage(String message) {
        String text = additionalInfo.isEmpty() ? message : additionalInfo + " : " + message;
        try {
            executor.execute(() -> send(text));
        } catch (RejectedExecutionException e) {
            LOG.error("Error sending alert: alert queue full ({} pending), alert dropped", QUEUE);
            metrics.alert(false);
        }
    }

    private void send(String message) {
        String body;
        String type = "application/json";
        boolean okOnlyOn200 = false;
        switch (sink) {
            case "slack" -> body = "{\"attachments\":[{\"color\":\"good\",\"author_name\":\"Reloader\",\"text\":"
                    + GoJson.quote(message) + "}]}";
            case "teams", "gchat" -> {
                body = "{\"text\":" + GoJson.quote(message) + "}";
                okOnlyOn200 = true;
            }
            default -> {
                body = message.replace("*", "");
                type = "text/plain";
            }
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode();
            if (status >= 300 && status < 400) {
                throw new IllegalStateException("incorrect token (redirection)");
            }
            if (okOnlyOn200 ? status != 200 : status >= 400) {
                throw new IllegalStateException("unexpected status code " + status);
            }
            metrics.alert(true);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("Error sending alert: {}", Redaction.message(e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage(), url));
            metrics.alert(false);
        }
    }

    @Override
    public void close() {
        Shutdown.gracefully(executor, Duration.ofSeconds(2));
    }
}
