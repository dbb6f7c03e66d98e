package io.reloader.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The probes answer whatever other clients do: stalled, idle, flooding, oversized. */
class HttpEndpointsIT {
    private final List<Socket> sockets = new ArrayList<>();
    private HttpEndpoints http;

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (http != null) {
            http.close();
        }
    }

    private HttpEndpoints start(boolean ready) throws IOException {
        http = new HttpEndpoints(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> "# metrics\nup 1\n", () -> true, () -> ready);
        return http;
    }

    /** One request on a fresh connection, answered within {@code timeoutMs} or the test fails. */
    private String get(String path, int timeoutMs) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port())) {
            s.setSoTimeout(timeoutMs);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Socket stalled(String bytes) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port());
        sockets.add(s);
        s.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void answersTheThreePaths() throws IOException {
        start(false);
        assertThat(get("/live", 1000)).startsWith("HTTP/1.1 200 OK").endsWith("alive");
        assertThat(get("/ready", 1000)).startsWith("HTTP/1.1 503").endsWith("not ready");
        assertThat(get("/metrics?x=1", 1000)).startsWith("HTTP/1.1 200").contains("text/plain; version=0.0.4")
                .endsWith("up 1\n");
        assertThat(get("/nothing", 1000)).startsWith("HTTP/1.1 404");
    }

    @Test
    void thirtyTwoStalledConnectionsDoNotBlockTheProbes() throws IOException {
        start(true);
        for (int i = 0; i < 32; i++) {
            stalled(i % 2 == 0 ? "G" : "GET /live HTTP/1.1\r\nHost");
        }
        long t0 = System.nanoTime();
        assertThat(get("/live", 1000)).startsWith("HTTP/1.1 200");
        assertThat(get("/ready", 1000)).startsWith("HTTP/1.1 200");
        assertThat(get("/metrics", 1000)).startsWith("HTTP/1.1 200");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
    }

    @Test
    void aFloodOfIdleConnectionsCannotLockTheProbesOut() throws IOException {
        start(true);
        for (int i = 0; i < HttpEndpoints.MAX_CONNECTIONS + 20; i++) {
            stalled("");
        }
        assertThat(get("/live", 1000)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aStalledRequestIsClosedAfterTheTimeout() throws IOException {
        start(true);
        Socket s = stalled("GET /live");
        s.setSoTimeout((int) HttpEndpoints.REQUEST_TIMEOUT_MS + 3000);
        long t0 = System.nanoTime();
        InputStream in = s.getInputStream();
        assertThat(in.read()).isEqualTo(-1);
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(HttpEndpoints.REQUEST_TIMEOUT_MS - 1000,
                HttpEndpoints.REQUEST_TIMEOUT_MS + 2000);
    }

    @Test
    void anOversizedRequestIsRefused() throws IOException {
        start(true);
        Socket s = stalled("GET /live HTTP/1.1\r\nX: " + "a".repeat(HttpEndpoints.MAX_REQUEST_BYTES));
        s.setSoTimeout(2000);
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 431");
    }

    @Test
    void aSlowHandlerDoesNotHoldUpTheOthers() throws IOException {
        AtomicBoolean release = new AtomicBoolean();
        http = new HttpEndpoints(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Map.of(
                "/slow", () -> {
                    while (!release.get()) {
                        Thread.onSpinWait();
                    }
                    return new HttpEndpoints.Response(200, "text/plain", "slow");
                },
                "/live", () -> new HttpEndpoints.Response(200, "text/plain", "alive")));
        try {
            OutputStream out = stalled("").getOutputStream();
            out.write("GET /slow HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(get("/live", 1000)).endsWith("alive");
            assertThat(get("/metrics", 1000)).startsWith("HTTP/1.1 404"); // only the paths given
        } finally {
            release.set(true);
        }
    }
}
