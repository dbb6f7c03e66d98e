package io.reloader.report;

import io.reloader.concurrent.Shutdown;
import io.reloader.model.SourceChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code --webhook-url} mode (spec §9.6): instead of reloading, every qualifying change POSTs
 * {@code {"webhook":"update successful"}}. Transport errors are retried a bounded number of times; the HTTP status
 * is not checked, as in Reloader.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    private static final int ATTEMPTS = 5;

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reloader-webhook");
        t.setDaemon(true);
        return t;
    });

    public WebhookSender(String url) {
        this.url = url;
    }

    public void changed(SourceChange change) {
        LOG.info("Changes detected in '{}' of type '{}' in namespace '{}', Sending webhook to '{}'",
                change.ref().name(), change.ref().type().name(), change.ref().namespace(), Redaction.url(url));
        executor.execute(this::send);
    }

    private void send() {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"webhook\":\"update successful\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                LOG.info("{}", r.body());
                return;
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    LOG.error("Dropping key out of the queue: {}", Redaction.message(e.toString(), url));
                    return;
                }
                LOG.error("Error syncing events: {}", Redaction.message(e.toString(), url));
                sleep(100L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        Shutdown.gracefully(executor, Duration.ofSeconds(2));
    }
}
