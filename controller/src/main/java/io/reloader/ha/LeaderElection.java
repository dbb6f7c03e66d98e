package io.reloader.ha;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.reloader.config.HaOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Lease-based leader election (spec §9.7) with fabric8's elector: only the leader runs the watches. Losing the
 * lease stops them; the Lease is released on shutdown so a standby takes over at once.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private final KubernetesClient client;
    private final HaOptions ha;
    private final Runnable onStartLeading;
    private final Runnable onStopLeading;
    private volatile CompletableFuture<?> running;
    private volatile LeaderElector elector;

    public LeaderElection(KubernetesClient client, HaOptions ha, Runnable onStartLeading, Runnable onStopLeading) {
        this.client = client;
        this.ha = ha;
        this.onStartLeading = onStartLeading;
        this.onStopLeading = onStopLeading;
    }

    public void start() {
        elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(ha.leaseName())
                .withLock(new LeaseLock(ha.namespace(), ha.leaseName(), ha.identity()))
                .withLeaseDuration(ha.leaseDuration())
                .withRenewDeadline(ha.renewDeadline())
                .withRetryPeriod(ha.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            LOG.info("became leader, starting controllers");
                            onStartLeading.run();
                        },
                        () -> {
                            LOG.info("no longer leader, shutting down");
                            onStopLeading.run();
                        },
                        leader -> {
                            if (leader != null && !ha.identity().equals(leader)) {
                                LOG.info("new leader is {}", leader);
                            }
                        }))
                .build()).build();
        running = elector.start();
    }

    /** Stops competing and releases the Lease if held. */
    @Override
    public void close() {
        CompletableFuture<?> r = running;
        if (r != null) {
            r.cancel(true);
            try {
                elector.release(); // synchronously, before the client closes
            } catch (RuntimeException e) {
                // API server unreachable: the Lease simply expires and a standby takes over after it.
                LOG.warn("could not release the leader election lease: {}", io.reloader.kube.ApiErrors.describe(e));
            }
        }
    }
}
