package io.reloader.controller;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class WatchHealthTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private void advance(long seconds) {
        now.set(now.get().plusSeconds(seconds));
    }

    @Test
    void aWatchDownLongerThanTheGraceIsUnhealthyUntilItIsBack() {
        WatchHealth health = new WatchHealth(Duration.ofSeconds(10), clock);
        assertThat(health.healthy(true)).isTrue();
        assertThat(health.healthy(false)).as("a reconnect").isTrue();
        advance(9);
        assertThat(health.healthy(false)).isTrue();
        advance(1);
        assertThat(health.healthy(false)).isFalse();
        assertThat(health.healthy(true)).isTrue();
        assertThat(health.healthy(false)).as("the grace starts again").isTrue();
    }
}
