package io.reloader.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP endpoints Reloader's chart probes (docs/compatibility.md#observability): {@code /metrics} (Prometheus text), {@code /live}
 * ({@code alive}) and, as a project extension, {@code /ready}. Any set of paths can be served on an address
 * ({@link #HttpEndpoints(InetSocketAddress, Map)}).
 *
 * <p>Probes must answer whatever other clients do, so this is a small non-blocking server rather than the JDK's
 * (whose handler threads block reading a request that never completes): one selector thread reads every
 * connection without blocking, a request must arrive whole within {@link #REQUEST_TIMEOUT_MS} and fit in
 * {@link #MAX_REQUEST_BYTES}, at most {@link #MAX_CONNECTIONS} connections are open (the oldest is closed to make
 * room), handlers run on two worker threads, and every response closes its connection.
 */
public final class HttpEndpoints implements AutoCloseable {
    static final int MAX_CONNECTIONS = 128;
    static final int MAX_REQUEST_BYTES = 8192;
    static final long REQUEST_TIMEOUT_MS = 5_000;
    static final long RESPONSE_TIMEOUT_MS = 10_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpEndpoints.class);

    /** What a path answers. */
    public record Response(int status, String contentType, String body) {
    }

    private final Map<String, Supplier<Response>> routes;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Thread loop;
    private final ExecutorService handlers;
    /** Connections in the order they were opened; touched only by the selector thread. */
    private final LinkedHashMap<SocketChannel, Connection> connections = new LinkedHashMap<>();
    /** Responses computed by the handlers, handed to the selector thread. */
    private final Queue<Connection> answered = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public HttpEndpoints(int port, Supplier<String> metrics, BooleanSupplier live, BooleanSupplier ready)
            throws IOException {
        this(new InetSocketAddress(port), metrics, live, ready);
    }

    public HttpEndpoints(InetSocketAddress address, Supplier<String> metrics, BooleanSupplier live,
                         BooleanSupplier ready) throws IOException {
        this(address, routes(metrics, live, ready));
    }

    /** Which endpoints one server serves: Reloader v2 serves metrics and probes on separate addresses. */
    public enum Endpoints {
        /** {@code /metrics}. */
        METRICS,
        /** {@code /live} and {@code /ready}, and their controller-runtime names {@code /healthz} and {@code /readyz}. */
        PROBES
    }

    public HttpEndpoints(InetSocketAddress address, Set<Endpoints> endpoints, Supplier<String> metrics,
                         BooleanSupplier live, BooleanSupplier ready) throws IOException {
        this(address, routes(endpoints, metrics, live, ready));
    }

    /** Serves exactly these paths (each also answers below it, e.g. {@code /metrics/}); others get 404. */
    public HttpEndpoints(InetSocketAddress address, Map<String, Supplier<Response>> routes) throws IOException {
        this.routes = Map.copyOf(routes);
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, 64);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            selector.close();
            throw e;
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_CONNECTIONS), r -> {
            Thread t = new Thread(r, "reloader-http-handler");
            t.setDaemon(true);
            return t;
        });
        this.handlers = pool;
        this.loop = new Thread(this::run, "reloader-http");
        loop.setDaemon(true);
        loop.start();
    }

    /** Every standard path: {@code /metrics}, {@code /live}, {@code /ready}, {@code /healthz}, {@code /readyz}. */
    public static Map<String, Supplier<Response>> routes(Supplier<String> metrics, BooleanSupplier live,
                                                         BooleanSupplier ready) {
        return routes(EnumSet.allOf(Endpoints.class), metrics, live, ready);
    }

    /** The paths of the given endpoints. */
    public static Map<String, Supplier<Response>> routes(Set<Endpoints> endpoints, Supplier<String> metrics,
                                                         BooleanSupplier live, BooleanSupplier ready) {
        Map<String, Supplier<Response>> routes = new LinkedHashMap<>();
        if (endpoints.contains(Endpoints.METRICS)) {
            routes.put("/metrics", () -> new Response(200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.get()));
        }
        if (endpoints.contains(Endpoints.PROBES)) {
            Supplier<Response> liveness = () -> live.getAsBoolean() ? new Response(200, "text/plain", "alive")
                    : new Response(500, "text/plain", "not alive");
            Supplier<Response> readiness = () -> ready.getAsBoolean() ? new Response(200, "text/plain", "ready")
                    : new Response(503, "text/plain", "not ready");
            routes.put("/live", liveness);
            routes.put("/healthz", liveness);
            routes.put("/ready", readiness);
            routes.put("/readyz", readiness);
        }
        return routes;
    }

    public int port() {
        return listener.socket().getLocalPort();
    }

    /** One client connection: the request read so far, then the response being written. */
    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST_BYTES);
        volatile ByteBuffer out;
        long deadline;

        Connection(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(250);
                long now = System.nanoTime();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    try {
                        if (key.isAcceptable()) {
                            accept(now);
                        } else if (key.isReadable()) {
                            read((Connection) key.attachment(), key, now);
                        } else if (key.isWritable()) {
                            write((Connection) key.attachment());
                        }
                    } catch (IOException | CancelledKeyException e) {
                        if (key.attachment() instanceof Connection c) {
                            close(c);
                        }
                    }
                }
                Connection ready;
                while ((ready = answered.poll()) != null) {
                    startWriting(ready, now);
                }
                expire(now);
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("HTTP server loop: {}", e.toString());
            }
        }
    }

    private void accept(long now) throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            if (connections.size() >= MAX_CONNECTIONS) {
                close(connections.values().iterator().next()); // the oldest gives way: a flood cannot lock probes out
            }
            channel.configureBlocking(false);
            Connection c = new Connection(channel, now + TimeUnit.MILLISECONDS.toNanos(REQUEST_TIMEOUT_MS));
            connections.put(channel, c);
            channel.register(selector, SelectionKey.OP_READ, c);
        }
    }

    private void read(Connection c, SelectionKey key, long now) throws IOException {
        int n = c.channel.read(c.in);
        if (n < 0) {
            close(c);
            return;
        }
        String head = headerBlock(c.in);
        if (head == null) {
            if (!c.in.hasRemaining()) {
                key.interestOps(0);
                c.out = encode(new Response(431, "text/plain", "request header too large"), false);
                startWriting(c, now);
            }
            return;
        }
        key.interestOps(0); // nothing more is read from this connection
        String[] line = head.substring(0, head.indexOf('\n')).trim().split(" ");
        if (line.length < 2) {
            c.out = encode(new Response(400, "text/plain", "bad request"), false);
            startWriting(c, now);
            return;
        }
        boolean headOnly = line[0].equals("HEAD");
        if (!headOnly && !line[0].equals("GET")) {
            c.out = encode(new Response(405, "text/plain", "method not allowed"), false);
            startWriting(c, now);
            return;
        }
        Supplier<Response> route = route(line[1]);
        c.deadline = now + TimeUnit.MILLISECONDS.toNanos(RESPONSE_TIMEOUT_MS);
        try {
            handlers.execute(() -> {
                c.out = encode(respond(route), headOnly);
                answered.add(c);
                selector.wakeup();
            });
        } catch (RejectedExecutionException e) {
            c.out = encode(new Response(503, "text/plain", "busy"), headOnly);
            startWriting(c, now);
        }
    }

    private static Response respond(Supplier<Response> route) {
        if (route == null) {
            return new Response(404, "text/plain", "not found");
        }
        try {
            return route.get();
        } catch (RuntimeException e) {
            return new Response(500, "text/plain", "error: " + e.getClass().getSimpleName());
        }
    }

    private Supplier<Response> route(String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        for (Map.Entry<String, Supplier<Response>> e : routes.entrySet()) {
            if (path.equals(e.getKey()) || path.startsWith(e.getKey() + "/")) {
                return e.getValue();
            }
        }
        return null;
    }

    private void startWriting(Connection c, long now) {
        SelectionKey key = c.channel.keyFor(selector);
        if (key == null || !key.isValid()) {
            return; // closed meanwhile (timed out, or made room for another)
        }
        c.deadline = now + TimeUnit.MILLISECONDS.toNanos(RESPONSE_TIMEOUT_MS);
        key.interestOps(SelectionKey.OP_WRITE);
        try {
            write(c);
        } catch (IOException e) {
            close(c);
        }
    }

    private void write(Connection c) throws IOException {
        ByteBuffer out = c.out;
        if (out == null) {
            return;
        }
        c.channel.write(out);
        if (!out.hasRemaining()) {
            close(c);
        }
    }

    private void expire(long now) {
        Iterator<Connection> it = connections.values().iterator();
        while (it.hasNext()) {
            Connection c = it.next();
            if (now - c.deadline > 0) {
                it.remove();
                closeChannel(c);
            }
        }
    }

    private void close(Connection c) {
        connections.remove(c.channel);
        closeChannel(c);
    }

    private static void closeChannel(Connection c) {
        try {
            c.channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** The request line and headers once they are complete (up to the blank line), else null. */
    private static String headerBlock(ByteBuffer in) {
        int end = in.position();
        byte[] bytes = in.array();
        for (int i = 0; i + 1 < end; i++) {
            if (bytes[i] == '\n' && (bytes[i + 1] == '\n' || (bytes[i + 1] == '\r' && i + 2 < end
                    && bytes[i + 2] == '\n'))) {
                return new String(bytes, 0, i + 1, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static ByteBuffer encode(Response r, boolean headOnly) {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\nContent-Type: " + r.contentType()
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(h.length + (headOnly ? 0 : body.length));
        out.put(h);
        if (!headOnly) {
            out.put(body);
        }
        return out.flip();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlers.shutdownNow();
        connections.values().forEach(HttpEndpoints::closeChannel);
        try {
            listener.close();
            selector.close();
        } catch (IOException e) {
            // stopping anyway
        }
    }
}
