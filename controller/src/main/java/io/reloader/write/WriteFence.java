package io.reloader.write;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Fences a leader's writes: every request other than a read or a Lease request is refused unless the Lease stays
 * this replica's for longer than the write may take, and that write is given exactly that long. A leader whose
 * renewals hang thus stops writing before another replica can take over, whatever its elector believes.
 */
public final class WriteFence implements Interceptor {
    private final Supplier<Instant> leaseValidUntil;
    private final Duration writeTimeout;
    private final Clock clock;

    /**
     * @param leaseValidUntil until when the Lease is surely ours, as last observed by this replica's elector
     * @param writeTimeout    the longest a write may take (it is also set as the write's request timeout)
     */
    public WriteFence(Supplier<Instant> leaseValidUntil, Duration writeTimeout, Clock clock) {
        this.leaseValidUntil = leaseValidUntil;
        this.writeTimeout = writeTimeout;
        this.clock = clock;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String method = request.method();
        if ("GET".equals(method) || "HEAD".equals(method) || isLease(request)) {
            return;
        }
        Instant until = leaseValidUntil.get();
        Instant deadline = clock.instant().plus(writeTimeout);
        if (!deadline.isBefore(until)) {
            throw new FencedWriteException(method + " " + request.uri().getPath());
        }
        if (builder instanceof HttpRequest.Builder b) {
            b.timeout(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static boolean isLease(HttpRequest request) {
        String path = request.uri().getPath();
        return path.startsWith("/apis/coordination.k8s.io/") && (path.endsWith("/leases") || path.contains("/leases/"));
    }

    /** A write refused because this replica may no longer hold the Lease when it lands. */
    public static final class FencedWriteException extends KubernetesClientException {
        FencedWriteException(String request) {
            super("not sent: the leader election lease may expire before " + request + " completes");
        }
    }
}
