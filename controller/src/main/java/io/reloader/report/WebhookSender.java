package io.reloader.report;

import io.reloader.model.SourceChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * {@code --webhook-url} mode (docs/compatibility.md#observability): instead of reloading, every qualifying change POSTs
 * {@code {"webhook":"update successful"}}. Transport errors are retried a bounded number of times; the HTTP status
 * is not checked, as in Reloader, and only the status is logged (never the response body). Posts wait in a
 * bounded queue; overflow is dropped and counted ({@code reloader_notifications_dropped_total{sink="webhook"}}).
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    private static final int ATTEMPTS = 5;
    private static final Duration BACKOFF = Duration.ofMillis(200);
    static final Duration DEADLINE = Duration.ofSeconds(15);

    private final HttpNotifier notifier;

    public WebhookSender(String url, ReloaderMetrics metrics) {
        this(url, metrics, DEADLINE);
    }

    WebhookSender(String url, ReloaderMetrics metrics, Duration deadline) {
        this.notifier = new HttpNotifier("webhook", url, null, deadline, metrics);
    }

    public void changed(SourceChange change) {
        LOG.info("Changes detected in '{}' of type '{}' in namespace '{}', Sending webhook to '{}'",
                change.ref().name(), change.ref().type().name(), change.ref().namespace(), notifier.target());
        boolean queued = notifier.post("application/json", "{\"webhook\":\"update successful\"}", status -> { },
                ATTEMPTS, BACKOFF, status -> LOG.info("Webhook sent to '{}': HTTP status {}", notifier.target(), status),
                (reason, retrying) -> {
                    if (retrying) {
                        LOG.error("Error syncing events: {}", reason);
                    } else {
                        LOG.error("Dropping key out of the queue: {}", reason);
                    }
                });
        if (!queued) {
            LOG.error("Dropping key out of the queue: webhook queue full ({} pending) for '{}'", HttpNotifier.CAPACITY,
                    notifier.target());
        }
    }

    @Override
    public void close() {
        notifier.close();
    }
}
