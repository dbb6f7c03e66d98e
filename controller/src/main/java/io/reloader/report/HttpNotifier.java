package io.reloader.report;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * One outbound webhook target (an alert sink or {@code --webhook-url}): a bounded queue, one sender thread, and a
 * deadline on the whole exchange. The response body is discarded unread into memory, and the URL appears in logs
 * only redacted. Overflow is dropped and counted, so a slow or hung endpoint costs at most {@link #CAPACITY}
 * pending posts and never stalls reloading.
 */
final class HttpNotifier implements AutoCloseable {
    static final int CAPACITY = 100;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** What to do with a completed exchange: throw to count it as failed (with a message to log). */
    interface StatusCheck {
        void check(int status);
    }

    /** A failed attempt: the redacted reason, and whether another attempt follows. */
    interface Failure {
        void failed(String reason, boolean retrying);
    }

    private final String sink;
    private final URI url;
    private final String rawUrl;
    private final Duration deadline;
    private final ReloaderMetrics metrics;
    private final HttpClient http;
    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reloader-notify");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param deadline for the whole exchange: connect, request, response and the body read
     */
    HttpNotifier(String sink, String url, InetSocketAddress proxy, Duration deadline, ReloaderMetrics metrics) {
        this.sink = sink;
        this.rawUrl = url;
        this.url = URI.create(url);
        this.deadline = deadline;
        this.metrics = metrics;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (proxy != null) {
            b.proxy(ProxySelector.of(proxy));
        }
        this.http = b.build();
    }

    /** The redacted target, for log lines. */
    String target() {
        return Redaction.url(rawUrl);
    }

    /**
     * Queues one POST, tried up to {@code attempts} times on transport errors ({@code backoff} doubling between
     * them); {@code done} receives the status, or -1 when every attempt failed. False when the queue was full.
     */
    boolean post(String contentType, String body, StatusCheck check, int attempts, Duration backoff,
                 IntConsumer done, Failure failed) {
        if (pending.incrementAndGet() > CAPACITY) {
            pending.decrementAndGet();
            metrics.notificationDropped(sink);
            return false;
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            executor.execute(() -> attempt(request, check, 1, attempts, backoff, done, failed));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.decrementAndGet(); // closed
            return false;
        }
        return true;
    }

    private void attempt(HttpRequest request, StatusCheck check, int attempt, int attempts, Duration backoff,
                         IntConsumer done, Failure failed) {
        boolean retry = false;
        try {
            int status = exchange(request);
            check.check(status);
            done.accept(status);
        } catch (TransportException e) {
            retry = attempt < attempts;
            failed.failed(describe(e.getCause()), retry);
        } catch (RuntimeException e) {
            failed.failed(describe(e), false);
        } finally {
            if (retry) {
                try {
                    executor.schedule(() -> attempt(request, check, attempt + 1, attempts, backoff, done, failed),
                            backoff.toMillis() << (attempt - 1), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    pending.decrementAndGet();
                }
            } else {
                pending.decrementAndGet();
            }
        }
    }

    /**
     * One exchange within the deadline; the body is read and discarded. On the deadline the exchange is
     * cancelled, which (since JDK 16) aborts it, so a server that never finishes its body keeps no connection.
     */
    private int exchange(HttpRequest request) {
        CompletableFuture<HttpResponse<Void>> f = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TransportException(new TimeoutException("no complete response within " + deadline.toMillis() + "ms"));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new TransportException(e);
        } catch (ExecutionException e) {
            throw new TransportException(e.getCause());
        }
    }

    /** An exception as it may be logged: the HTTP client's messages can quote the URL. */
    private String describe(Throwable e) {
        String what = e == null ? "unknown error" : e.getMessage() == null ? e.getClass().getSimpleName()
                : e instanceof IllegalStateException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return Redaction.message(what, rawUrl) + " (" + target() + ")";
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A transport failure (connect, timeout, reset): the only kind retried. */
    private static final class TransportException extends RuntimeException {
        TransportException(Throwable cause) {
            super(cause);
        }
    }
}
