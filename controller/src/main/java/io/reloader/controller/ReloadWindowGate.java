package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.ReloadWindows;
import io.reloader.kube.ApiErrors;
import io.reloader.model.SourceChange;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.TimingAnnotations;
import io.reloader.report.ReloadReporter;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.PodTemplates;
import io.reloader.spec.WorkloadView;
import io.reloader.strategy.AppliedHashes;
import io.reloader.strategy.TemplatePatch;
import io.reloader.write.WorkloadApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reload windows (project extension): a reload due outside the workload's window is held until the window opens,
 * merged with later changes into one write. What is held is recorded on the workload's metadata
 * ({@code reloader.stakater.com/held-reloads}, no rollout), so a restart or a new leader holds it again, and is
 * visible: a {@code ReloadHeld} Event saying when it will run, and the gauge of held workloads.
 */
final class ReloadWindowGate {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    /** Never wait less than this before looking again, so a clock at the edge of a window cannot spin. */
    private static final Duration MIN_WAIT = Duration.ofMillis(500);

    private final TimingAnnotations timing;
    private final WorkloadApi api;
    private final ReloadReporter reporter;
    private final Clock clock;
    private final Set<WorkloadKey> held = ConcurrentHashMap.newKeySet();

    ReloadWindowGate(TimingAnnotations timing, WorkloadApi api, ReloadReporter reporter, Clock clock) {
        this.timing = timing;
        this.api = api;
        this.reporter = reporter;
        this.clock = clock;
    }

    /**
     * How long to hold the write of these changes, or null to write now. Holding records the changes on the
     * workload (once per new content) and says when they will run.
     */
    Duration hold(WorkloadKey key, HasMetadata workload, List<SourceChange> applied) {
        Optional<ReloadWindows> window = timing.window(WorkloadView.of(workload));
        Instant now = clock.instant();
        if (window.isEmpty() || window.get().isOpen(now)) {
            return null;
        }
        Instant opens = window.get().nextOpen(now);
        if (held.add(key)) {
            reporter.metrics().heldReloads(held.size());
        }
        if (record(key, workload, applied)) {
            reporter.held(workload, key, applied, opens, window.get().toString());
        }
        Duration wait = Duration.between(now, opens);
        return wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait;
    }

    /** The workload was written, or needs nothing: it is no longer held. */
    void released(WorkloadKey key) {
        if (held.remove(key)) {
            reporter.metrics().heldReloads(held.size());
        }
    }

    /**
     * Nothing is left to write but the workload still records held reloads (its sources went back, say): clear the
     * record, once its window is open, so that it does not outlive what it held.
     */
    void clearIfStale(WorkloadKey key, HasMetadata workload) {
        released(key);
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey(AnnotationKeys.HELD_RELOADS)) {
            return;
        }
        Optional<ReloadWindows> window = timing.window(WorkloadView.of(workload));
        if (window.isPresent() && !window.get().isOpen(clock.instant())) {
            return;
        }
        TemplatePatch patch = patch(workload);
        patch.removeMetadataAnnotation(AnnotationKeys.HELD_RELOADS);
        send(key, patch);
    }

    /** Records changes held for another reason (a halted progressive reload), so that catch-up holds them again. */
    void recordHeld(WorkloadKey key, HasMetadata workload, List<SourceChange> applied) {
        record(key, workload, applied);
    }

    /** Writes what is held into the workload's metadata; true when that changed the record. */
    private boolean record(WorkloadKey key, HasMetadata workload, List<SourceChange> applied) {
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        String before = annotations == null ? null : annotations.get(AnnotationKeys.HELD_RELOADS);
        AppliedHashes heldRecord = AppliedHashes.parse(before);
        applied.forEach(c -> heldRecord.put(c.ref(), c.hash()));
        String after = heldRecord.toJson();
        if (after.equals(before)) {
            return false;
        }
        TemplatePatch patch = patch(workload);
        patch.setMetadataAnnotation(AnnotationKeys.HELD_RELOADS, after);
        send(key, patch);
        return true;
    }

    private static TemplatePatch patch(HasMetadata workload) {
        WorkloadKind kind = KindRegistry.of(workload);
        PodTemplateSpec template = PodTemplates.of(workload);
        return new TemplatePatch(workload, template == null ? new PodTemplateSpec() : template, kind.templatePath());
    }

    private void send(WorkloadKey key, TemplatePatch patch) {
        try {
            api.patch(key, patch.jsonPatch());
        } catch (RuntimeException e) {
            // The hold itself is in memory; the record only makes it survive a restart. Tried again next time.
            LOG.debug("Recording held reloads on {} failed: {}", key, ApiErrors.describe(e));
        }
    }

    int heldCount() {
        return held.size();
    }
}
