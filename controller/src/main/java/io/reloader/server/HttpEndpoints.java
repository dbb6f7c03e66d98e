package io.reloader.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP endpoints Reloader's chart probes (spec §9.1): {@code /metrics} (Prometheus text), {@code /live}
 * ({@code alive}) and, as a project extension, {@code /ready} (200 once the caches are synced).
 */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    public HttpEndpoints(int port, Supplier<String> metrics, BooleanSupplier live, BooleanSupplier ready)
            throws IOException {
        this(new InetSocketAddress(port), metrics, live, ready);
    }

    public HttpEndpoints(InetSocketAddress address, Supplier<String> metrics, BooleanSupplier live,
                         BooleanSupplier ready) throws IOException {
        server = HttpServer.create(address, 0);
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.get()));
        server.createContext("/live", ex -> respond(ex, live.getAsBoolean() ? 200 : 500, "text/plain",
                live.getAsBoolean() ? "alive" : "not alive"));
        server.createContext("/ready", ex -> respond(ex, ready.getAsBoolean() ? 200 : 503, "text/plain",
                ready.getAsBoolean() ? "ready" : "not ready"));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "reloader-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
