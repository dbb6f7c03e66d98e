package io.reloader.ha;

import io.reloader.config.HaOptions;

import java.time.Clock;
import java.time.Instant;

/**
 * What this replica knows about its own Lease: when the last renewal that the API server accepted was started.
 * The Lease is ours until that moment plus the lease duration (other replicas count from the renew time we wrote,
 * which is no earlier), so writes are fenced against it and the elector steps down once renewing is overdue.
 */
public final class LeaderLease {
    private final Clock clock;
    private final HaOptions ha;
    /** Start of the last accepted renewal by this replica; null while not holding the Lease. */
    private volatile Instant renewedAt;

    public LeaderLease(Clock clock, HaOptions ha) {
        this.clock = clock;
        this.ha = ha;
    }

    public Clock clock() {
        return clock;
    }

    /** Until when the Lease is surely ours; {@link Instant#MIN} when it is not held. */
    public Instant validUntil() {
        Instant r = renewedAt;
        return r == null ? Instant.MIN : r.plus(ha.leaseDuration());
    }

    /** True while the Lease is held but its last renewal is older than the renew deadline. */
    public boolean renewalOverdue() {
        Instant r = renewedAt;
        return r != null && clock.instant().isAfter(r.plus(ha.renewDeadline()));
    }

    /** The API server accepted a renewal (or acquisition) started at {@code attemptStart}. */
    void renewed(Instant attemptStart) {
        Instant r = renewedAt;
        if (r == null || attemptStart.isAfter(r)) {
            renewedAt = attemptStart;
        }
    }

    /** The Lease was released, or seen held by another replica. */
    void lost() {
        renewedAt = null;
    }

    Instant now() {
        return clock.instant();
    }
}
