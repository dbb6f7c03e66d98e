package io.reloader.controller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the required watches count as up: they are, or have been down for less than the grace, which covers
 * an ordinary reconnect. The time a watch was first seen down is remembered until it is seen up again.
 */
final class WatchHealth {
    private final Duration grace;
    private final Clock clock;
    private Instant downSince;

    WatchHealth(Duration grace, Clock clock) {
        this.grace = grace;
        this.clock = clock;
    }

    synchronized boolean healthy(boolean allUp) {
        if (allUp) {
            downSince = null;
            return true;
        }
        Instant now = clock.instant();
        if (downSince == null) {
            downSince = now;
        }
        return Duration.between(downSince, now).compareTo(grace) < 0;
    }
}
