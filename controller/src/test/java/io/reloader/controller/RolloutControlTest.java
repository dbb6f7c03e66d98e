package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.index.WorkloadFinder;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Rollout pacing with an injected clock: intervals, sequential claims, and state that does not only grow. */
class RolloutControlTest {
    private static final SourceChange CHANGE = new SourceChange(new SourceRef(SourceType.CONFIGMAP, "ns", "cfg"),
            ChangeType.UPDATED, "h1", false, false);
    /** The adapters' own availability checks (they need no API for that). */
    private static final RolloutControl.Availability AVAILABILITY = (w, g) -> new io.reloader.workload.AdapterRegistry(
            null, null, null, null, java.time.Clock.systemUTC()).of(io.reloader.spec.KindRegistry.of(w)).available(w, g);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<WorkloadKey, HasMetadata> cache = new HashMap<>();

    private final WorkloadFinder lookup = new WorkloadFinder() {
        @Override
        public Collection<WorkloadKey> candidates(SourceRef source) {
            return List.of();
        }

        @Override
        public Optional<HasMetadata> get(WorkloadKey key) {
            return Optional.ofNullable(cache.get(key));
        }

        @Override
        public Collection<HasMetadata> all(WorkloadKind kind) {
            return cache.values();
        }

        @Override
        public void close() {
        }
    };

    private static WorkloadKey key(String name) {
        return new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", name);
    }

    private Deployment deployment(String name, long generation, Integer available, String interval) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .withGeneration(generation).endMetadata().withNewSpec().withReplicas(2).endSpec();
        if (interval != null) {
            b.editMetadata().addToAnnotations(RolloutControl.MIN_INTERVAL_ANNOTATION, interval).endMetadata();
        }
        if (available != null) {
            b.withNewStatus().withObservedGeneration(generation).withUpdatedReplicas(available)
                    .withAvailableReplicas(available).endStatus();
        }
        Deployment d = b.build();
        cache.put(key(name), d);
        return d;
    }

    @Test
    void aMinimumIntervalDefersTheNextWriteAndIsForgottenOnceOver() {
        RolloutControl control = new RolloutControl(Duration.ofMinutes(10), false, Duration.ofMinutes(1), lookup, AVAILABILITY, clock);
        Deployment web = deployment("web", 1, 2, null);
        assertThat(control.deferral(key("web"), web, List.of(CHANGE))).isNull();
        control.written(key("web"), web, List.of(CHANGE));

        clock.advance(Duration.ofMinutes(4));
        assertThat(control.deferral(key("web"), web, List.of(CHANGE))).isEqualTo(Duration.ofMinutes(6));
        clock.advance(Duration.ofMinutes(6));
        assertThat(control.deferral(key("web"), web, List.of(CHANGE))).isNull();

        control.prune(clock.instant());
        assertThat(control.sizes()[0]).as("an interval that ran out is not kept").isZero();
    }

    @Test
    void theAnnotationOverridesTheFlagAndWithoutAnIntervalNothingIsKept() {
        RolloutControl control = new RolloutControl(Duration.ZERO, false, Duration.ofMinutes(1), lookup, AVAILABILITY, clock);
        Deployment plain = deployment("plain", 1, 2, null);
        Deployment paced = deployment("paced", 1, 2, "30s");
        control.written(key("plain"), plain, List.of(CHANGE));
        control.written(key("paced"), paced, List.of(CHANGE));
        assertThat(control.sizes()[0]).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(control.deferral(key("plain"), plain, List.of(CHANGE))).isNull();
        assertThat(control.deferral(key("paced"), paced, List.of(CHANGE))).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void sequentialRolloutsWaitForTheClaimAndTheRolloutThenForgetTheSource() {
        RolloutControl control = new RolloutControl(Duration.ZERO, true, Duration.ofMinutes(5), lookup, AVAILABILITY, clock);
        Deployment a = deployment("a", 1, 2, null);
        Deployment b = deployment("b", 1, 2, null);

        assertThat(control.deferral(key("a"), a, List.of(CHANGE))).as("a claims the source").isNull();
        assertThat(control.deferral(key("b"), b, List.of(CHANGE))).as("b waits for a's claim").isNotNull()
                .isPositive();
        control.released(key("a"), List.of(CHANGE));
        assertThat(control.deferral(key("b"), b, List.of(CHANGE))).as("a released: b goes").isNull();

        Deployment rolled = deployment("b", 2, 0, null); // b's write bumped its generation; not available yet
        control.written(key("b"), rolled, List.of(CHANGE));
        assertThat(control.deferral(key("a"), a, List.of(CHANGE))).as("a waits for b's rollout").isNotNull();
        deployment("b", 2, 2, null); // b rolled out
        control.released(key("a"), List.of(CHANGE)); // a's claim attempt was deferred: nothing to release
        control.prune(clock.instant());
        assertThat(control.sizes()[1]).as("an available workload's source is forgotten").isZero();
        assertThat(control.deferral(key("a"), a, List.of(CHANGE))).isNull();
    }

    @Test
    void aRolloutThatNeverBecomesAvailableStopsBlockingAfterTheTimeout() {
        RolloutControl control = new RolloutControl(Duration.ZERO, true, Duration.ofMinutes(5), lookup, AVAILABILITY, clock);
        Deployment a = deployment("a", 1, 2, null);
        Deployment stuck = deployment("stuck", 2, 0, null);
        assertThat(control.deferral(key("stuck"), stuck, List.of(CHANGE))).isNull();
        control.written(key("stuck"), stuck, List.of(CHANGE));
        assertThat(control.deferral(key("a"), a, List.of(CHANGE))).isNotNull();
        clock.advance(Duration.ofMinutes(6));
        control.prune(clock.instant());
        assertThat(control.sizes()[1]).isZero();
        assertThat(control.deferral(key("a"), a, List.of(CHANGE))).isNull();
    }
}
