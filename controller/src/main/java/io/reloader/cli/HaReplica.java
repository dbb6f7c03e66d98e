package io.reloader.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.reloader.config.HaOptions;
import io.reloader.ha.LeaderLease;
import io.reloader.report.ReloaderMetrics;
import io.reloader.write.WriteFence;

import java.util.function.Consumer;

/**
 * What a replica with {@code --enable-ha} runs on besides its controller's client: what it knows of its Lease,
 * and the election's own client, whose short request timeout bounds each renewal request and which never retries
 * internally (a renewal retried for longer than the lease would outlast it). The controller's client carries
 * {@link #fence} so that no write starts unless the Lease outlasts it.
 */
public record HaReplica(LeaderLease lease, KubernetesClient electionClient) implements AutoCloseable {

    /** The interceptor that fences the controller client's writes against {@code lease}. */
    public static Interceptor fence(LeaderLease lease, HaOptions ha) {
        return new WriteFence(lease::validUntil, ha.writeTimeout(), lease.clock());
    }

    /**
     * The election client for a controller client built from {@code base}, through the production setup (field
     * manager, metrics, JSON), plus {@code more} on its HTTP client.
     */
    public static KubernetesClient electionClient(KubernetesClientBuilder builder, Config base, HaOptions ha,
                                                  String fieldManager, ReloaderMetrics metrics,
                                                  Consumer<HttpClient.Builder> more) {
        int timeout = (int) Math.max(1, ha.electionRequestTimeout().toMillis());
        base.setRequestTimeout(timeout);
        base.setConnectionTimeout(timeout);
        base.setRequestRetryBackoffLimit(0);
        return ClientSetup.configure(builder.withConfig(base), fieldManager, metrics, more).build();
    }

    @Override
    public void close() {
        electionClient.close();
    }
}
