package io.reloader.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.reloader.hash.SourceListDigester;
import io.reloader.hash.SourceHasher;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Hashes the sources of every Secret and ConfigMap list response while it arrives ({@link SourceListDigester}),
 * so what fabric8 then buffers and parses is the list without the sources' data: a list page of large Secrets
 * (Helm's release records) costs the heap one Secret at a time, not the page's JSON and its parsed data at once.
 * A watch that fabric8 runs as an HTTP stream (its fallback where WebSockets fail) is rewritten event by event
 * the same way; WebSocket watch messages (one object each, at most 1 MiB) and a GET of one object are left as
 * they are.
 */
public final class SourceListInterceptor implements Interceptor {
    public static final String NAME = "sourceListDigests";
    private static final Pattern SOURCE_LIST = Pattern.compile("/api/v1(/namespaces/[^/]+)?/(secrets|configmaps)/?");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SourceListInterceptor.class);

    private final SourceHasher hasher;
    private final Executor worker;

    /**
     * Digests with {@code hasher} on {@code worker} (whose tasks must not wait for the HTTP client); a large
     * source's hash runs there too, beside the reading of the next one.
     */
    public SourceListInterceptor(SourceHasher hasher, Executor worker) {
        this.hasher = hasher;
        this.worker = worker;
    }

    /** The kind of a GET of a Secret or ConfigMap collection (a list or a watch), or null. */
    static SourceListDigester.Kind listedKind(HttpRequest request) {
        if (!"GET".equalsIgnoreCase(request.method())) {
            return null;
        }
        java.util.regex.Matcher m = SOURCE_LIST.matcher(request.uri().getRawPath());
        return !m.matches() ? null
                : m.group(2).equals("secrets") ? SourceListDigester.Kind.SECRET : SourceListDigester.Kind.CONFIGMAP;
    }

    @Override
    public AsyncBody.Consumer<List<ByteBuffer>> consumer(AsyncBody.Consumer<List<ByteBuffer>> consumer,
                                                        HttpRequest request) {
        SourceListDigester.Kind kind = listedKind(request);
        if (kind == null) {
            return consumer;
        }
        SourceListDigester digester = new SourceListDigester(kind, hasher, worker);
        return new AsyncBody.Consumer<>() {
            /**
             * Digests on {@code worker}, not on the HTTP client's thread that delivers the chunk: the next chunk
             * is asked for only once this one is done, so chunks are digested one at a time and in order, and
             * the response cannot end before its last chunk has been passed on.
             */
            @Override
            public void consume(List<ByteBuffer> chunks, AsyncBody body) {
                worker.execute(() -> {
                    try {
                        ByteBuffer rewritten = null;
                        for (ByteBuffer chunk : chunks) {
                            byte[] bytes = digester.feed(chunk);
                            if (bytes.length > 0) {
                                rewritten = append(rewritten, bytes);
                            }
                        }
                        if (rewritten == null) {
                            body.consume(); // nothing complete yet: ask for the next chunk ourselves
                        } else {
                            rewritten.flip();
                            consumer.consume(List.of(rewritten), body);
                        }
                    } catch (Exception | StackOverflowError e) {
                        LOG.warn("a {} list response could not be read: {}", kind, e.toString());
                        body.cancel(); // the request fails; the informer lists again
                    }
                });
            }

            @Override
            public <U> U unwrap(Class<U> target) {
                return consumer.unwrap(target);
            }
        };
    }

    private static ByteBuffer append(ByteBuffer to, byte[] bytes) {
        if (to == null) {
            return ByteBuffer.allocate(Math.max(bytes.length, 4096)).put(bytes);
        }
        if (to.remaining() < bytes.length) {
            ByteBuffer bigger = ByteBuffer.allocate((to.position() + bytes.length) * 2);
            to.flip();
            bigger.put(to);
            to = bigger;
        }
        return to.put(bytes);
    }
}
