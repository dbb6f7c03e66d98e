package io.reloader.controller;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.reloader.concurrent.Timers;
import io.reloader.model.ChangeType;
import io.reloader.model.ReloadCause;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.report.FlapReporter;
import io.reloader.report.ReloaderMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate around the flap decision: one Event per flap, held changes merged, a timer that looks again. */
class FlapGateTest {
    private static final SourceRef TLS = new SourceRef(SourceType.CONFIGMAP, "shop", "tls");
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final List<String> events = new ArrayList<>();
    private final List<SourceChange> released = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final ReloaderMetrics metrics = new ReloaderMetrics();
    private final FlapGate gate = new FlapGate(Duration.ofSeconds(10), new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }, new Timers() {
        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            delays.add(delay);
            timers.add(task);
            return () -> { };
        }

        @Override
        public void close() {
        }
    }, new FlapReporter((o, type, reason, message, component) -> events.add(type + " " + reason + " on "
            + o.getKind() + " " + o.getMetadata().getName() + ": " + message), metrics),
            ref -> new ConfigMapBuilder().withNewMetadata().withNamespace(ref.namespace()).withName(ref.name())
                    .endMetadata().build(),
            change -> List.of("Deployment shop/web"), released::add);

    @AfterEach
    void close() {
        metrics.close();
    }

    private boolean change(String from, String to, String manager) {
        now = now.plusSeconds(1);
        return gate.admit(new SourceChange(TLS, ChangeType.UPDATED, to, false, false, null, null,
                new SourceChange.Prior(from, null), ReloadCause.of(List.of("k"), manager)));
    }

    private void fireTimers() {
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }

    private String gauge() {
        return metrics.scrape().lines().filter(l -> l.startsWith("reloader_sources_flapping ")).findFirst().orElseThrow();
    }

    @Test
    void holdsFromTheSecondReturnSaysSoOnceAndReleasesOneMergedChangeWhenSettled() {
        assertThat(change("a", "b", "issuer-b")).isTrue();
        assertThat(change("b", "a", "issuer-a")).as("one revert rolls").isTrue();
        assertThat(change("a", "b", "issuer-b")).isFalse();
        assertThat(change("b", "a", "issuer-a")).isFalse();
        assertThat(change("a", "b", "issuer-b")).isFalse();
        assertThat(events).singleElement().asString().startsWith("Warning SourceFlapping on ConfigMap tls: ")
                .contains("(written by issuer-b, issuer-a)", "holding reloads of Deployment shop/web");
        assertThat(gauge()).isEqualTo("reloader_sources_flapping 1.0");
        assertThat(gate.unheld(List.of(new SourceChange(TLS, ChangeType.UPDATED, "b", false, false)))).isEmpty();

        // The timer set at the flap's start fires early (the source changed since): it looks again later.
        now = now.plusSeconds(8);
        fireTimers();
        assertThat(released).isEmpty();
        assertThat(delays.get(delays.size() - 1)).isEqualTo(Duration.ofMillis(2010));
        now = now.plusSeconds(2);
        fireTimers();
        assertThat(released).singleElement().satisfies(c -> {
            assertThat(c.hash()).isEqualTo("b");
            assertThat(c.before().hash()).as("the state before the hold").isEqualTo("a");
        });
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).startsWith("Normal SourceSettled on ConfigMap tls: ");
        assertThat(gauge()).isEqualTo("reloader_sources_flapping 0.0");
        assertThat(gate.unheld(List.of(new SourceChange(TLS, ChangeType.UPDATED, "b", false, false)))).hasSize(1);
    }

    @Test
    void aDeletedSourceIsNoLongerHeldAndItsDeletionGoesOn() {
        change("a", "b", null);
        change("b", "a", null);
        change("a", "b", null);
        assertThat(gate.flapping()).isEqualTo(1);
        assertThat(gate.admit(new SourceChange(TLS, ChangeType.DELETED, "b", false, false))).isTrue();
        assertThat(gate.flapping()).isZero();
        now = now.plusSeconds(60);
        fireTimers();
        assertThat(released).isEmpty();
        assertThat(events).singleElement().asString().contains("SourceFlapping");
    }
}
