package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.TimingOptions;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.TimingAnnotations;
import io.reloader.report.ReloadReporter;
import io.reloader.report.ReloaderMetrics;
import io.reloader.testing.MutableClock;
import io.reloader.write.WorkloadApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The reload-window gate decides by its clock alone: a clock moved by hand stands in for the week. */
class ReloadWindowGateTest {
    private static final WorkloadKey KEY = new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "web");
    private static final List<SourceChange> CHANGES = List.of(new SourceChange(
            new SourceRef(SourceType.CONFIGMAP, "ns", "cfg"), ChangeType.UPDATED, "h1", false, false));
    /** A Monday. */
    private static final Instant MONDAY_0100 = Instant.parse("2026-11-30T01:00:00Z");

    private final ReloaderMetrics metrics = new ReloaderMetrics();
    private final MutableClock clock = new MutableClock(MONDAY_0100);
    private final List<List<Map<String, Object>>> patches = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final ReloadWindowGate gate = new ReloadWindowGate(new TimingAnnotations(
            new TimingOptions(Duration.ZERO, Duration.ZERO, null)), new RecordingApi(),
            new ReloadReporter((workload, type, reason, message, component) -> events.add(reason), metrics), clock);

    @AfterEach
    void close() {
        metrics.close();
    }

    private static HasMetadata windowed(String heldRecord) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withNamespace("ns").withName("web")
                .addToAnnotations(AnnotationKeys.RELOAD_WINDOW, "Mon-Fri 02:00-05:00 UTC").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app").endContainer()
                .endSpec().endTemplate().endSpec();
        if (heldRecord != null) {
            b.editMetadata().addToAnnotations(AnnotationKeys.HELD_RELOADS, heldRecord).endMetadata();
        }
        return b.build();
    }

    @Test
    void outsideTheWindowTheWriteWaitsExactlyUntilItOpens() {
        assertThat(gate.hold(KEY, windowed(null), CHANGES)).isEqualTo(Duration.ofHours(1));
        assertThat(events).containsExactly("ReloadHeld");
        assertThat(patches).as("the hold is recorded on the workload").hasSize(1);
        assertThat(gate.heldCount()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(59).plusSeconds(59).plusMillis(800));
        assertThat(gate.hold(KEY, windowed(null), CHANGES)).as("never less than the floor, so it cannot spin")
                .isEqualTo(Duration.ofMillis(500));

        clock.advance(Duration.ofMillis(200));
        assertThat(gate.hold(KEY, windowed(null), CHANGES)).as("02:00 Monday: open").isNull();
    }

    @Test
    void insideTheWindowNothingIsHeldAndAfterItTheNextOpeningIsTheNextWeekday() {
        clock.advance(Duration.ofHours(2)); // Monday 03:00
        assertThat(gate.hold(KEY, windowed(null), CHANGES)).isNull();
        assertThat(patches).isEmpty();
        clock.advance(Duration.ofDays(4).plusHours(2)); // Friday 05:00, the window just closed
        assertThat(gate.hold(KEY, windowed(null), CHANGES)).as("until Monday 02:00")
                .isEqualTo(Duration.ofDays(2).plusHours(21));
    }

    @Test
    void aStaleRecordIsClearedOnlyOnceTheWindowIsOpen() {
        HasMetadata stale = windowed("{\"configmap/cfg\":\"h0\"}");
        gate.clearIfStale(KEY, stale);
        assertThat(patches).as("closed: the record stays until the window opens").isEmpty();
        clock.advance(Duration.ofHours(1));
        gate.clearIfStale(KEY, stale);
        assertThat(patches).hasSize(1);
        assertThat(patches.get(0)).anySatisfy(op -> assertThat(op).containsEntry("op", "remove"));
    }

    private final class RecordingApi implements WorkloadApi {
        @Override
        public HasMetadata patch(WorkloadKey key, List<Map<String, Object>> ops) {
            patches.add(ops);
            return null;
        }

        @Override
        public HasMetadata mergePatch(WorkloadKey key, Map<String, Object> patch) {
            throw new AssertionError("the gate writes JSON patches only");
        }

        @Override
        public Optional<HasMetadata> read(WorkloadKey key) {
            return Optional.empty();
        }

        @Override
        public HasMetadata create(HasMetadata object) {
            throw new AssertionError("not used by the gate");
        }

        @Override
        public void delete(WorkloadKey key) {
            throw new AssertionError("not used by the gate");
        }

        @Override
        public List<HasMetadata> jobsOwnedBy(String namespace, String ownerUid, Map<String, String> labels) {
            return List.of();
        }
    }
}
