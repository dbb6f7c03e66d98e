package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.config.GoDuration;
import io.reloader.index.WorkloadFinder;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rollout pacing (project extensions): a minimum interval between two rollouts of one workload
 * ({@code --min-rollout-interval} or the workload annotation {@code reloader.stakater.com/min-rollout-interval}),
 * so a flapping ConfigMap cannot pile up ReplicaSets; and, with {@code --sequential-rollouts}, one workload at a
 * time per source: the next waits until the previous one is available again (bounded by a timeout).
 * Deferred changes are not lost: they are handed back to the queue and merged with later ones.
 */
public final class RolloutControl {
    public static final String MIN_INTERVAL_ANNOTATION = "reloader.stakater.com/min-rollout-interval";
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    private static final Duration POLL = Duration.ofSeconds(1);

    private final Duration minInterval;
    private final boolean sequential;
    private final Duration waitTimeout;
    private final WorkloadFinder lookup;
    private final Availability availability;
    private final Clock clock;
    /** Writes whose minimum interval has not run out yet; an entry goes once its interval is over. */
    private final Map<WorkloadKey, LastWrite> lastWrite = new ConcurrentHashMap<>();
    /** Sequential rollouts: the workload that claimed or last rolled each source, until it is available. */
    private final Map<SourceRef, Written> lastBySource = new ConcurrentHashMap<>();
    private int calls;
    /** With sequential rollouts: a stalled rollout holds its sources' other workloads (null: none followed). */
    private volatile RolloutHalts halts;
    /** Records a halted workload's held changes on it, so that a restart or a new leader holds them again. */
    private volatile HoldRecorder holdRecorder = (key, workload, applied) -> { };

    private record LastWrite(Instant at, Duration interval) {
    }

    private record Written(WorkloadKey key, long generation, Instant at) {
    }

    public RolloutControl(Duration minInterval, boolean sequential, Duration waitTimeout, WorkloadFinder lookup,
                          Availability availability, Clock clock) {
        this.availability = availability;
        this.minInterval = minInterval;
        this.sequential = sequential;
        this.waitTimeout = waitTimeout;
        this.lookup = lookup;
        this.clock = clock;
    }

    /**
     * How long to defer a write to this workload, or null to write now. With sequential rollouts a null answer
     * also claims the sources for this workload, atomically, until {@link #written} or {@link #released}.
     */
    public synchronized Duration deferral(WorkloadKey key, HasMetadata workload, List<SourceChange> applied) {
        Instant now = clock.instant();
        pruneNow(now);
        Duration interval = interval(workload);
        LastWrite previousWrite = lastWrite.get(key);
        Instant last = previousWrite == null ? null : previousWrite.at();
        if (last != null && !interval.isZero()) {
            Duration remaining = interval.minus(Duration.between(last, now));
            if (remaining.compareTo(Duration.ZERO) > 0) {
                LOG.info("Deferring reload of '{}' of type '{}' in namespace '{}' by {} (minimum rollout interval {})",
                        key.name(), key.kind().kindName(), key.namespace(), GoDuration.format(remaining),
                        GoDuration.format(interval));
                return remaining;
            }
        }
        if (sequential) {
            RolloutHalts h = halts;
            if (h != null && h.halt(key, workload, applied).isPresent()) {
                holdRecorder.record(key, workload, applied);
                return POLL; // held until the stalled rollout is Current or the source changes again
            }
            for (SourceChange c : applied) {
                Written previous = lastBySource.get(c.ref());
                if (previous == null || previous.key().equals(key)) {
                    continue;
                }
                if (available(previous)) {
                    lastBySource.remove(c.ref(), previous);
                    continue;
                }
                if (Duration.between(previous.at(), now).compareTo(waitTimeout) > 0) {
                    LOG.warn("'{}' of type '{}' did not become available within {}; rolling '{}' anyway",
                            previous.key().name(), previous.key().kind().kindName(), GoDuration.format(waitTimeout),
                            key.name());
                    continue;
                }
                return POLL;
            }
            // Claimed: not available until written() records the generation this write produces.
            applied.forEach(c -> lastBySource.put(c.ref(), new Written(key, Long.MAX_VALUE, now)));
        }
        return null;
    }

    /** Progressive reloads: consult these halts before a sequential write (set once rollouts are followed). */
    void haltedBy(RolloutHalts rolloutHalts, HoldRecorder recorder) {
        this.halts = rolloutHalts;
        this.holdRecorder = recorder;
    }

    /** Writes held changes into the workload's metadata (the reload windows' held-reloads record). */
    @FunctionalInterface
    interface HoldRecorder {
        void record(WorkloadKey key, HasMetadata workload, List<SourceChange> applied);
    }

    /** The write did not happen (failed for good): give the sources back. */
    public synchronized void released(WorkloadKey key, List<SourceChange> applied) {
        applied.forEach(c -> lastBySource.computeIfPresent(c.ref(), (r, w) -> w.key().equals(key) ? null : w));
    }

    public synchronized void written(WorkloadKey key, HasMetadata written, List<SourceChange> applied) {
        Instant now = clock.instant();
        pruneNow(now);
        Duration interval = interval(written);
        if (interval.isZero()) {
            lastWrite.remove(key);
        } else {
            lastWrite.put(key, new LastWrite(now, interval));
        }
        if (sequential) {
            long generation = written.getMetadata().getGeneration() == null ? 0 : written.getMetadata().getGeneration();
            applied.forEach(c -> lastBySource.put(c.ref(), new Written(key, generation, now)));
        }
    }

    /** Every so often, forget what can no longer defer anything, so the maps hold only what is in force. */
    private void pruneNow(Instant now) {
        if (++calls % 64 == 0) {
            prune(now);
        }
    }

    /** Drops intervals that ran out and sources whose workload is available again, gone, or timed out. */
    synchronized void prune(Instant now) {
        lastWrite.values().removeIf(w -> Duration.between(w.at(), now).compareTo(w.interval()) >= 0);
        lastBySource.values().removeIf(w -> w.generation() != Long.MAX_VALUE
                && (Duration.between(w.at(), now).compareTo(waitTimeout) > 0 || available(w)));
    }

    /** Entries held, for tests: (workloads with an interval in force, sources claimed or rolling). */
    synchronized int[] sizes() {
        return new int[] {lastWrite.size(), lastBySource.size()};
    }

    private Duration interval(HasMetadata workload) {
        Map<String, String> a = workload.getMetadata().getAnnotations();
        String value = a == null ? null : a.get(MIN_INTERVAL_ANNOTATION);
        if (value != null) {
            try {
                return GoDuration.parse(value);
            } catch (IllegalArgumentException e) {
                // reported by the annotation lint; the global setting applies
            }
        }
        return minInterval;
    }

    /** The workload rolled out the generation we wrote (its adapter says how), or is gone. */
    private boolean available(Written w) {
        HasMetadata o = lookup.get(w.key()).orElse(null);
        return o == null || availability.available(o, w.generation());
    }

    /** Whether a workload rolled out a generation; the workload adapters know how for each kind. */
    @FunctionalInterface
    public interface Availability {
        boolean available(HasMetadata workload, long generation);
    }
}
