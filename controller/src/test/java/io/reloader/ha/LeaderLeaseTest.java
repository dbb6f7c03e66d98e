package io.reloader.ha;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import io.reloader.config.HaOptions;
import io.reloader.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Lease is ours from the start of an accepted renewal for the lease duration; a failed, released or
 * foreign-held renewal gives nothing, and renewing is overdue after the renew deadline.
 */
class LeaderLeaseTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final HaOptions ha = new HaOptions("stakater-reloader-lock", "reloader", "pod-a", Duration.ofSeconds(15),
            Duration.ofSeconds(10), Duration.ofSeconds(2), true);
    private final LeaderLease lease = new LeaderLease(clock, ha);

    /** A lock whose read takes {@code readTime} on the clock and whose update may fail. */
    private final class FakeLock implements Lock {
        LeaderElectionRecord stored;
        boolean failUpdate;
        Duration readTime = Duration.ZERO;

        @Override
        public LeaderElectionRecord get(KubernetesClient client) {
            clock.advance(readTime);
            return stored;
        }

        @Override
        public void create(KubernetesClient client, LeaderElectionRecord record) {
            update(client, record);
        }

        @Override
        public void update(KubernetesClient client, LeaderElectionRecord record) {
            if (failUpdate) {
                throw new KubernetesClientException("timeout");
            }
            stored = record;
        }

        @Override
        public String identity() {
            return "pod-a";
        }

        @Override
        public String describe() {
            return "reloader/stakater-reloader-lock";
        }
    }

    private static LeaderElectionRecord held(String holder) {
        ZonedDateTime now = ZonedDateTime.now();
        return new LeaderElectionRecord(holder, Duration.ofSeconds(15), now, now, 0);
    }

    @Test
    void anAcceptedRenewalHoldsFromTheStartOfItsAttempt() {
        FakeLock fake = new FakeLock();
        TrackingLock lock = new TrackingLock(fake, lease);
        assertThat(lease.validUntil()).isEqualTo(Instant.MIN);
        fake.readTime = Duration.ofSeconds(3);
        lock.get(null);
        lock.update(null, held("pod-a"));
        assertThat(lease.validUntil()).as("counted from before the read").isEqualTo(T0.plusSeconds(15));
        assertThat(lease.renewalOverdue()).isFalse();
        clock.advance(Duration.ofSeconds(7)); // T0 + 10 s
        assertThat(lease.renewalOverdue()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(lease.renewalOverdue()).isTrue();
    }

    @Test
    void aFailedRenewalExtendsNothing() {
        FakeLock fake = new FakeLock();
        TrackingLock lock = new TrackingLock(fake, lease);
        lock.get(null);
        lock.update(null, held("pod-a"));
        clock.advance(Duration.ofSeconds(2));
        fake.failUpdate = true;
        lock.get(null);
        assertThatThrownBy(() -> lock.update(null, held("pod-a"))).isInstanceOf(KubernetesClientException.class);
        assertThat(lease.validUntil()).isEqualTo(T0.plusSeconds(15));
    }

    @Test
    void aReleaseOrAnotherHolderEndsTheLease() {
        FakeLock fake = new FakeLock();
        TrackingLock lock = new TrackingLock(fake, lease);
        lock.get(null);
        lock.update(null, held("pod-a"));
        lock.update(null, held(null));
        assertThat(lease.validUntil()).as("released").isEqualTo(Instant.MIN);
        lock.get(null);
        lock.update(null, held("pod-a"));
        fake.stored = held("pod-b");
        lock.get(null);
        assertThat(lease.validUntil()).as("seen held by another replica").isEqualTo(Instant.MIN);
        assertThat(lease.renewalOverdue()).isFalse();
    }
}
