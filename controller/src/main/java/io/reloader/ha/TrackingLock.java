package io.reloader.ha;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;

import java.time.Instant;
import java.util.Objects;

/**
 * The Lease lock as fabric8's elector uses it, telling {@link LeaderLease} which renewals the API server
 * accepted. An attempt's clock starts before its read, so the validity derived from it is never too long.
 */
final class TrackingLock implements Lock {
    private final Lock delegate;
    private final LeaderLease lease;
    private volatile Instant attemptStart = Instant.MIN;

    TrackingLock(Lock delegate, LeaderLease lease) {
        this.delegate = delegate;
        this.lease = lease;
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient client) {
        attemptStart = lease.now();
        LeaderElectionRecord record = delegate.get(client);
        if (record != null && !Objects.equals(record.getHolderIdentity(), identity())) {
            lease.lost();
        }
        return record;
    }

    @Override
    public void create(KubernetesClient client, LeaderElectionRecord record) {
        write(() -> delegate.create(client, record), record);
    }

    @Override
    public void update(KubernetesClient client, LeaderElectionRecord record) {
        write(() -> delegate.update(client, record), record);
    }

    private void write(Runnable send, LeaderElectionRecord record) {
        Instant start = attemptStart;
        boolean ours = Objects.equals(record.getHolderIdentity(), identity());
        if (!ours) {
            lease.lost(); // a release: stop writing before the Lease is handed on
        }
        send.run();
        if (ours) {
            lease.renewed(start);
        }
    }

    @Override
    public String identity() {
        return delegate.identity();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }
}
