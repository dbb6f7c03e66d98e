package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.concurrent.Timers;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.GoDuration;
import io.reloader.index.WorkloadFinder;
import io.reloader.model.RolloutStatus;
import io.reloader.model.RolloutTarget;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.TimingAnnotations;
import io.reloader.report.RolloutReporter;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.WorkloadView;
import io.reloader.strategy.Markers;
import io.reloader.workload.AdapterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows each rollout a reload write started until it is Current (project extension), on the updates the
 * workload informers deliver anyway: no polling, no LIST. Current ends the follow with {@code ReloadRolledOut};
 * a stall (the kind's controller says so, a Job failed, or the rollout wait timeout passed, measured by an injected
 * clock and timer) is reported once with {@code ReloadRolloutStalled} and stays followed until the workload becomes
 * Current, is deleted or is reloaded again. One entry per followed workload; nothing survives a restart, but
 * {@link #resume} follows again what the start-up state shows as unfinished.
 */
public final class RolloutFollower implements AutoCloseable {
    private final WorkloadFinder lookup;
    private final AdapterRegistry adapters;
    private final Set<WorkloadKind> watched;
    private final Duration defaultTimeout;
    private final RolloutReporter reporter;
    private final Timers timers;
    private final Clock clock;
    /** By the workload reported on; guarded by this. */
    private final Map<WorkloadKey, Follow> byWorkload = new HashMap<>();
    /** The object followed (the workload, or a CronJob's Job) to the workload reported on; read without the lock. */
    private final Map<WorkloadKey, WorkloadKey> byFollowed = new ConcurrentHashMap<>();
    /** The follows that stalled, in the order they did; few, so progressive reloads can look through them. */
    private final java.util.Set<Follow> stalled = new java.util.LinkedHashSet<>();

    private static final class Follow {
        final WorkloadKey key;
        final RolloutTarget target;
        final List<SourceRef> sources;
        /** When the write was made; null for a rollout found unfinished at start-up. */
        final Instant started;
        final Duration timeout;
        Timers.Cancellable timer = () -> { };
        boolean stalled;
        /** Why it stalled (the status reason, or RolloutWaitTimeout); null while it has not. */
        String stallReason;

        Follow(WorkloadKey key, RolloutTarget target, List<SourceRef> sources, Instant started, Duration timeout) {
            this.key = key;
            this.target = target;
            this.sources = sources;
            this.started = started;
            this.timeout = timeout;
        }
    }

    /**
     * @param watched        the kinds with an informer: a rollout of another kind would never be seen to finish,
     *                       so it is not followed
     * @param defaultTimeout {@code --rollout-wait-timeout}
     */
    public RolloutFollower(WorkloadFinder lookup, AdapterRegistry adapters, Set<WorkloadKind> watched,
                           Duration defaultTimeout, RolloutReporter reporter, Timers timers, Clock clock) {
        this.lookup = lookup;
        this.adapters = adapters;
        this.watched = Set.copyOf(watched);
        this.defaultTimeout = defaultTimeout;
        this.reporter = reporter;
        this.timers = timers;
        this.clock = clock;
    }

    /** A write started a rollout: follow it (a newer write replaces the follow of an older one). */
    public synchronized void started(WorkloadKey key, HasMetadata written, RolloutTarget target,
                                     List<SourceChange> applied) {
        if (!watched.contains(target.followed().kind())) {
            return; // e.g. a CronJob's Job with --ignored-workload-types=jobs: its end would never be seen
        }
        Duration timeout = TimingAnnotations.rolloutWaitTimeout(WorkloadView.of(written)).orElse(defaultTimeout);
        Follow f = new Follow(key, target, applied.stream().map(SourceChange::ref).distinct().toList(),
                clock.instant(), timeout);
        follow(f);
        evaluate(f, lookup.get(target.followed()).orElse(null)); // the cache may already hold the outcome
        publish();
    }

    /** An informer saw the object added or updated. */
    public void observed(HasMetadata object) {
        WorkloadKey k = keyOf(object);
        if (k == null || !byFollowed.containsKey(k)) {
            return; // the common case: an update of a workload nobody follows, answered without the lock
        }
        synchronized (this) {
            WorkloadKey owner = byFollowed.get(k);
            Follow f = owner == null ? null : byWorkload.get(owner);
            if (f != null && f.target.followed().equals(k)) {
                evaluate(f, object);
                publish();
            }
        }
    }

    /** An informer saw the object deleted: its follow ends without a report (the Job a recreate replaced aside). */
    public synchronized void deleted(HasMetadata object) {
        WorkloadKey k = keyOf(object);
        if (k == null) {
            return;
        }
        WorkloadKey owner = byFollowed.get(k);
        Follow f = owner == null ? null : byWorkload.get(owner);
        if (f != null && f.target.followed().equals(k) && !java.util.Objects.equals(object.getMetadata().getUid(), f.target.replacedUid())) {
            drop(f);
        }
        Follow reported = byWorkload.get(k);
        if (reported != null && !reported.target.followed().equals(k)) {
            drop(reported); // a CronJob deleted while its Job runs
        }
        publish();
    }

    /** {@link #resume} on the timer thread, so that reading every cached workload does not delay readiness. */
    public void resumeSoon(java.util.function.Supplier<Collection<HasMetadata>> workloads) {
        timers.schedule(Duration.ZERO, () -> resume(workloads.get()));
    }

    /**
     * At start-up (level-triggered): a workload that carries this project's applied-hashes record and whose
     * rollout is not Current is followed again, from now, as if just written. One that is stalled already is
     * counted as stalled without a second Event.
     */
    public synchronized void resume(Collection<HasMetadata> workloads) {
        for (HasMetadata w : workloads) {
            Map<String, String> a = w.getMetadata().getAnnotations();
            WorkloadKey key = keyOf(w);
            if (a == null || !a.containsKey(AnnotationKeys.APPLIED_HASHES) || key == null
                    || !watched.contains(key.kind()) || byWorkload.containsKey(key)) {
                continue;
            }
            RolloutStatus s = status(w);
            if (s.state() != RolloutStatus.State.IN_PROGRESS && s.state() != RolloutStatus.State.STALLED) {
                continue;
            }
            Duration timeout = TimingAnnotations.rolloutWaitTimeout(WorkloadView.of(w)).orElse(defaultTimeout);
            Follow f = new Follow(key, new RolloutTarget(key, RolloutTarget.generationOf(w), null),
                    new ArrayList<>(Markers.record(w).entries(key.namespace()).keySet()), null, timeout);
            follow(f);
            if (s.state() == RolloutStatus.State.STALLED) {
                markStalled(f, s.reason());
            }
        }
        publish();
    }

    private void follow(Follow f) {
        Follow previous = byWorkload.get(f.key);
        if (previous != null) {
            drop(previous);
        }
        byWorkload.put(f.key, f);
        byFollowed.put(f.target.followed(), f.key);
        f.timer = timers.schedule(f.timeout, () -> timedOut(f));
    }

    private void evaluate(Follow f, HasMetadata object) {
        if (object == null || !f.target.reachedBy(object)) {
            return; // not there yet, or still the state before the write
        }
        RolloutStatus s = status(object);
        switch (s.state()) {
            case CURRENT -> {
                drop(f);
                reporter.rolledOut(eventObject(f, object), f.key, job(f), f.sources, f.started == null ? null
                        : Duration.between(f.started, clock.instant()));
            }
            case STALLED -> {
                if (!f.stalled) {
                    markStalled(f, s.reason());
                    reporter.stalled(eventObject(f, object), f.key, job(f), f.sources, s.message().contains(s.reason())
                            ? s.message() : s.reason() + ": " + s.message());
                }
            }
            case WAITING_FOR_POD_DELETION -> drop(f); // said by the OnDelete report; nothing will roll by itself
            case IN_PROGRESS -> {
                // keep following
            }
        }
    }

    private synchronized void timedOut(Follow f) {
        if (byWorkload.get(f.key) != f || f.stalled) {
            return;
        }
        HasMetadata object = lookup.get(f.target.followed()).orElse(null);
        evaluate(f, object);
        if (byWorkload.get(f.key) == f && !f.stalled) {
            markStalled(f, "RolloutWaitTimeout");
            String last = object == null || !f.target.reachedBy(object) ? "the new state was never observed"
                    : "last status " + status(object).reason() + ": " + status(object).message();
            reporter.stalled(eventObject(f, object), f.key, job(f), f.sources, "RolloutWaitTimeout: not Current within "
                    + GoDuration.format(f.timeout) + " (" + AnnotationKeys.ROLLOUT_WAIT_TIMEOUT
                    + " or --rollout-wait-timeout); " + last);
        }
        publish();
    }

    private void markStalled(Follow f, String reason) {
        f.stalled = true;
        f.stallReason = reason;
        stalled.add(f);
        f.timer.cancel();
    }

    /** A stalled rollout: the workload, the reason, and the sources whose reload started it. */
    public record Stall(WorkloadKey workload, String reason, List<SourceRef> sources) {
    }

    /**
     * The first rollout that stalled after a reload for this source, of a workload other than {@code except}
     * (progressive reloads hold the source's other workloads while there is one).
     */
    public synchronized java.util.Optional<Stall> stalledOn(SourceRef source, WorkloadKey except) {
        for (Follow f : stalled) {
            if (!f.key.equals(except) && f.sources.contains(source)) {
                return java.util.Optional.of(new Stall(f.key, f.stallReason, f.sources));
            }
        }
        return java.util.Optional.empty();
    }

    private void drop(Follow f) {
        f.timer.cancel();
        if (byWorkload.remove(f.key, f)) {
            byFollowed.remove(f.target.followed(), f.key);
            stalled.remove(f);
        }
    }

    private void publish() {
        reporter.followed(stalled.size(), byWorkload.size());
    }

    private RolloutStatus status(HasMetadata object) {
        return adapters.of(KindRegistry.of(object)).rolloutStatus(object);
    }

    /** The workload the Events go on: the object seen, unless it is a CronJob's Job. */
    private HasMetadata eventObject(Follow f, HasMetadata seen) {
        if (seen != null && f.key.equals(f.target.followed())) {
            return seen;
        }
        return lookup.get(f.key).orElse(null);
    }

    private static String job(Follow f) {
        return f.key.equals(f.target.followed()) ? null : f.target.followed().name();
    }

    private static WorkloadKey keyOf(HasMetadata o) {
        try {
            return new WorkloadKey(KindRegistry.of(o), o.getMetadata().getNamespace(), o.getMetadata().getName());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Entries held, for tests: (workloads followed, of them stalled). */
    synchronized int[] sizes() {
        return new int[] {byWorkload.size(), stalled.size()};
    }

    @Override
    public void close() {
        timers.close();
    }
}
