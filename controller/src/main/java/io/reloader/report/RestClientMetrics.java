package io.reloader.report;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Counts and times every API request the client sends, as client-go's {@code rest_client_*} metrics do. */
public final class RestClientMetrics implements Interceptor {
    private final ReloaderMetrics metrics;
    private final Map<UUID, Long> started = new ConcurrentHashMap<>();

    public RestClientMetrics(ReloaderMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        started.put(request.id(), System.nanoTime());
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        record(request, response.code());
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        record(request, 0);
    }

    private void record(HttpRequest request, int code) {
        Long start = started.remove(request.id());
        long nanos = start == null ? 0 : System.nanoTime() - start;
        String host = request.uri().getHost() + (request.uri().getPort() > 0 ? ":" + request.uri().getPort() : "");
        metrics.restRequest(request.method(), host, code, nanos);
    }
}
