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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lease-based leader election (docs/compatibility.md#ha) with fabric8's elector on a client of its own: only the leader runs the
 * watches. As in client-go, the leader steps down once no renewal succeeded within the renew deadline, even while
 * a renewal request still hangs (fabric8 checks its deadline only between attempts); losing the Lease stops the
 * controller. With {@code releaseOnCancel} the Lease is released on shutdown so a standby takes over at once.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private final KubernetesClient client;
    private final HaOptions ha;
    private final LeaderLease lease;
    private final Runnable onStartLeading;
    private final Runnable onStopLeading;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reloader-lease-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile CompletableFuture<?> running;
    private volatile LeaderElector elector;

    /**
     * @param client the election's own client, whose request timeout bounds each renewal request and which does
     *               not retry internally
     */
    public LeaderElection(KubernetesClient client, HaOptions ha, LeaderLease lease, Runnable onStartLeading,
                          Runnable onStopLeading) {
        this.client = client;
        this.ha = ha;
        this.lease = lease;
        this.onStartLeading = onStartLeading;
        this.onStopLeading = onStopLeading;
    }

    public void start() {
        elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(ha.leaseName())
                .withLock(new TrackingLock(new LeaseLock(ha.namespace(), ha.leaseName(), ha.identity()), lease))
                .withLeaseDuration(ha.leaseDuration())
                .withRenewDeadline(ha.renewDeadline())
                .withRetryPeriod(ha.retryPeriod())
                .withReleaseOnCancel(ha.releaseOnCancel())
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            if (leading.compareAndSet(false, true)) {
                                LOG.info("became leader, starting controllers");
                                onStartLeading.run();
                            }
                        },
                        this::stopLeading,
                        leader -> {
                            if (leader != null && !ha.identity().equals(leader)) {
                                LOG.info("new leader is {}", leader);
                            }
                        }))
                .build()).build();
        running = elector.start();
        long period = Math.max(20, ha.retryPeriod().toMillis() / 4);
        watchdog.scheduleWithFixedDelay(this::checkRenewal, period, period, TimeUnit.MILLISECONDS);
    }

    private void checkRenewal() {
        if (leading.get() && lease.renewalOverdue()) {
            LOG.warn("could not renew the leader election lease within {}", io.reloader.config.GoDuration.format(ha.renewDeadline()));
            stopLeading();
            CompletableFuture<?> r = running;
            if (r != null) {
                // Stop renewing: this replica is done leading until it restarts. This waits for a hung attempt
                // (fabric8's elector is synchronized), which is why the controller was stopped first.
                r.cancel(true);
            }
        }
    }

    private void stopLeading() {
        if (leading.compareAndSet(true, false)) {
            lease.lost();
            LOG.info("no longer leader, shutting down");
            onStopLeading.run();
        }
    }

    /** Stops competing and, with release-on-cancel, releases the Lease if held. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        CompletableFuture<?> r = running;
        if (r != null) {
            r.cancel(true);
            if (!ha.releaseOnCancel()) {
                return;
            }
            try {
                elector.release(); // synchronously, before the client closes
            } catch (RuntimeException e) {
                // API server unreachable: the Lease simply expires and a standby takes over after it.
                LOG.warn("could not release the leader election lease: {}", io.reloader.kube.ApiErrors.describe(e));
            }
        }
    }
}
