package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.concurrent.Timers;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.policy.FlapDetector;
import io.reloader.report.FlapReporter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Holds the changes of flapping sources (project extension, {@code --flap-window}): the {@link FlapDetector} decides;
 * this keeps one merged change per held source, says when a source starts to flap (once) and when it settled, and
 * looks again when the hold may end, by a timer, never a waiting worker. On settling it hands the merged change on;
 * the planner then decides on the source's current state, so only workloads whose marker differs roll, once.
 */
final class FlapGate implements AutoCloseable {
    /** Versions kept per source, and sources tracked at once: bounded whatever sources do. */
    static final int MAX_VERSIONS = 8;
    static final int MAX_SOURCES = 4096;

    private final FlapDetector<SourceRef> detector;
    private final Clock clock;
    private final Timers timers;
    private final FlapReporter reporter;
    private final Function<SourceRef, HasMetadata> involved;
    private final Function<SourceChange, List<String>> held;
    private final Consumer<SourceChange> release;
    /** Per held source: its changes merged into one, and what its Events are recorded on. Guarded by this. */
    private final Map<SourceRef, SourceChange> pending = new HashMap<>();
    private final Map<SourceRef, HasMetadata> objects = new HashMap<>();

    /**
     * @param involved what a source's Events are recorded on (may read the API)
     * @param held     the workloads a change of the source would reload, named for the Events
     * @param release  where a settled source's change goes on (to the workloads that follow it)
     */
    FlapGate(Duration window, Clock clock, Timers timers, FlapReporter reporter,
             Function<SourceRef, HasMetadata> involved, Function<SourceChange, List<String>> held,
             Consumer<SourceChange> release) {
        this.detector = new FlapDetector<>(window, MAX_VERSIONS, MAX_SOURCES);
        this.clock = clock;
        this.timers = timers;
        this.reporter = reporter;
        this.involved = involved;
        this.held = held;
        this.release = release;
    }

    /** True when the change goes on to the workloads; false when it is held because its source flaps. */
    boolean admit(SourceChange change) {
        SourceRef ref = change.ref();
        if (change.type() == ChangeType.DELETED) {
            boolean wasHeld;
            synchronized (this) {
                wasHeld = detector.forget(ref);
                pending.remove(ref);
                objects.remove(ref);
            }
            if (wasHeld) {
                reporter.count(detector.flappingCount()); // the deletion goes on and supersedes what was held
            }
            return true;
        }
        FlapDetector.Verdict verdict;
        synchronized (this) {
            verdict = detector.changed(ref, change.before() == null ? null : change.before().hash(), change.hash(),
                    change.cause().managers().isEmpty() ? null : change.cause().managers().first(), clock.instant());
            switch (verdict) {
                case ROLL -> {
                    return true;
                }
                case STARTED -> pending.put(ref, change);
                case HELD -> pending.merge(ref, change, SourceChange::merge);
            }
        }
        if (verdict == FlapDetector.Verdict.STARTED) {
            reporter.count(detector.flappingCount());
            HasMetadata source = involved.apply(ref);
            synchronized (this) {
                objects.put(ref, source);
            }
            reporter.flapping(source, detector.managers(ref), held.apply(change), detector.window());
            lookAgainAt(ref, detector.holdEnds(ref));
        }
        return false;
    }

    /** The changes whose source is not held: what was queued before the source began to flap rolls nothing. */
    List<SourceChange> unheld(List<SourceChange> changes) {
        if (detector.flappingCount() == 0) {
            return changes;
        }
        return changes.stream().filter(c -> !detector.holds(c.ref())).toList();
    }

    int flapping() {
        return detector.flappingCount();
    }

    /** Level-triggered: at the time the hold may end, decide from what the source did meanwhile. */
    private void check(SourceRef ref) {
        FlapDetector.Settle settle;
        SourceChange released;
        HasMetadata source;
        synchronized (this) {
            settle = detector.settle(ref, clock.instant());
            released = settle.settled() ? pending.remove(ref) : null;
            source = settle.settled() ? objects.remove(ref) : null;
        }
        if (settle.until() != null) {
            lookAgainAt(ref, settle.until()); // changed meanwhile: the hold runs from its last change
            return;
        }
        if (!settle.settled()) {
            return; // deleted meanwhile
        }
        reporter.count(detector.flappingCount());
        if (released != null) {
            reporter.settled(source != null ? source : involved.apply(ref), held.apply(released), detector.window());
            release.accept(released);
        }
    }

    private void lookAgainAt(SourceRef ref, Instant when) {
        if (when == null) {
            return;
        }
        Duration wait = Duration.between(clock.instant(), when);
        // A little late rather than early: a timer that fires before the hold ends would only look again.
        timers.schedule(wait.isNegative() ? Duration.ZERO : wait.plusMillis(10), () -> check(ref));
    }

    @Override
    public void close() {
        timers.close();
    }
}
