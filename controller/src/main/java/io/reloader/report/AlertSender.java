package io.reloader.report;

import io.reloader.config.AlertOptions;
import io.reloader.config.GoJson;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Reload alerts to Slack, Teams, Google Chat or a raw webhook (docs/compatibility.md#observability). Sending never blocks reloading: alerts
 * go through a bounded queue to one sender thread with a deadline on the whole exchange; failures are logged
 * (status code only, URL redacted) and counted, never retried.
 */
public final class AlertSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    static final Duration DEADLINE = Duration.ofSeconds(15);

    private final AlertOptions options;
    private final ReloaderMetrics metrics;
    private final Clock clock;
    private final HttpNotifier notifier;

    AlertSender(AlertOptions options, ReloaderMetrics metrics, Clock clock, Duration deadline) {
        this.options = options;
        this.metrics = metrics;
        this.clock = clock;
        this.notifier = new HttpNotifier(options.sinkLabel(), options.webhookUrl(), options.proxy(), deadline, metrics);
    }

    /** The sender the options ask for, or null when alerts are off. */
    public static AlertSender create(AlertOptions options, ReloaderMetrics metrics) {
        if (!options.enabled()) {
            return null;
        }
        if (options.webhookUrl().isEmpty()) {
            LOG.error("ALERT_WEBHOOK_URL env variable not provided");
            return null;
        }
        return new AlertSender(options, metrics, Clock.systemUTC(), DEADLINE);
    }

    public void reloaded(SourceChange change, WorkloadKey key) {
        String message = "Reloader detected changes in *" + change.ref().name() + "* of type *"
                + change.ref().type().name() + "* in namespace *" + change.ref().namespace() + "*. Hence reloaded *"
                + key.name() + "* of type *" + key.kind().kindName() + "* in namespace *" + key.namespace() + "*"
                + change.cause().suffix();
        if (!options.additionalInfo().isEmpty()) {
            message = options.additionalInfo() + " : " + message;
        }
        send(message, () -> structured(change, key));
    }

    /** Sends a message of this project's own (a stalled rollout) to the configured sink, prefixed as a reload alert. */
    public void sendMessage(String message) {
        send(options.additionalInfo().isEmpty() ? message : options.additionalInfo() + " : " + message, null);
    }

    /** @param structured the raw sink's structured payload ({@code --alert-structured}), or null for plain text */
    private void send(String message, java.util.function.Supplier<String> structured) {
        String body;
        String type = "application/json";
        boolean okOnlyOn200 = false;
        switch (options.sink()) {
            case "slack" -> body = "{\"attachments\":[{\"color\":\"good\",\"author_name\":\"Reloader\",\"text\":"
                    + GoJson.quote(message) + "}]}";
            case "teams", "gchat" -> {
                body = "{\"text\":" + GoJson.quote(message) + "}";
                okOnlyOn200 = true;
            }
            default -> {
                if (options.structured() && structured != null) {
                    body = structured.get();
                } else {
                    body = message.replace("*", "");
                    type = "text/plain";
                }
            }
        }
        boolean only200 = okOnlyOn200;
        boolean queued = notifier.post(type, body, status -> {
            if (status >= 300 && status < 400) {
                throw new IllegalStateException("incorrect token (redirection)");
            }
            if (only200 ? status != 200 : status >= 400) {
                throw new IllegalStateException("unexpected status code " + status);
            }
        }, 1, Duration.ZERO, status -> metrics.alert(true), (reason, retrying) -> {
            LOG.error("Error sending alert: {}", reason);
            metrics.alert(false);
        });
        if (!queued) {
            LOG.error("Error sending alert: alert queue full ({} pending), alert dropped ({})", HttpNotifier.CAPACITY,
                    notifier.target());
            metrics.alert(false);
        }
    }

    /** Reloader v2's structured raw payload ({@code --alert-structured}). */
    private String structured(SourceChange change, WorkloadKey key) {
        StringBuilder s = new StringBuilder("{\"event\":\"reload\"");
        field(s, "workloadKind", key.kind().kindName());
        field(s, "workloadName", key.name());
        field(s, "workloadNamespace", key.namespace());
        field(s, "resourceKind", switch (change.ref().type()) {
            case CONFIGMAP -> "ConfigMap";
            case SECRET -> "Secret";
            case SECRETPROVIDERCLASS -> "SecretProviderClass";
            case SERVICEACCOUNT -> "ServiceAccount";
        });
        field(s, "resourceName", change.ref().name());
        field(s, "resourceNamespace", change.ref().namespace());
        field(s, "timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                clock.instant().truncatedTo(ChronoUnit.SECONDS).atOffset(java.time.ZoneOffset.UTC))
                .replace("+00:00", "Z"));
        if (!options.additionalInfo().isEmpty()) {
            field(s, "additional", options.additionalInfo());
        }
        return s.append('}').toString();
    }

    private static void field(StringBuilder s, String name, String value) {
        s.append(",\"").append(name).append("\":").append(GoJson.quote(value));
    }

    @Override
    public void close() {
        notifier.close();
    }
}
