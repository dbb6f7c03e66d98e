package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.GoDuration;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.JsonPatchOp;
import io.reloader.strategy.TemplatePatch;
import io.reloader.write.WorkloadApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Deployment pause periods (docs/compatibility.md#pause-period): pause in the same write as the reload, resume when the period is over.
 * Unlike Reloader the deadline is derived from {@code paused-at}, so a restart re-arms or resumes instead of
 * leaving the Deployment paused, and a Deployment paused by a person (no {@code paused-at}) is never resumed.
 * Nothing waits on a thread: arming records the deadline and asks for a wake-up of the Deployment's key in the
 * work queue ({@code wake}); the reconciler then calls {@link #resumeIfDue}.
 */
public final class DeploymentPauser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private final WorkloadApi api;
    private final AnnotationKeys keys;
    private final Clock clock;
    /** When each armed Deployment is due to be resumed. */
    private final Map<WorkloadKey, Instant> pending = new ConcurrentHashMap<>();
    private volatile BiConsumer<WorkloadKey, Duration> wake = (key, delay) -> { };
    /** Consecutive failed resumes per Deployment; cleared on success and when giving up. */
    private final Map<WorkloadKey, Integer> failedResumes = new ConcurrentHashMap<>();
    private final java.util.function.BiConsumer<WorkloadKey, String> gaveUp;
    static final int MAX_RESUME_ATTEMPTS = 30;
    static final Duration RESUME_RETRY = Duration.ofSeconds(10);

    public DeploymentPauser(WorkloadApi api, AnnotationKeys keys, Clock clock) {
        this(api, keys, clock, (key, error) -> { });
    }

    /** @param gaveUp told when resuming failed {@value #MAX_RESUME_ATTEMPTS} times in a row (for an Event) */
    public DeploymentPauser(WorkloadApi api, AnnotationKeys keys, Clock clock,
                            java.util.function.BiConsumer<WorkloadKey, String> gaveUp) {
        this.api = api;
        this.keys = keys;
        this.clock = clock;
        this.gaveUp = gaveUp;
    }

    /**
     * Adds the pause to a reload patch of a Deployment that has a pause period and is not paused yet.
     *
     * @return the period to arm once the write succeeded, or null when there is nothing to arm
     * @throws ActionFailedException when the period does not parse (the write fails, as in Reloader)
     */
    public Duration addPause(Deployment d, List<Map<String, Object>> ops) {
        String value = annotations(d).get(keys.pausePeriod());
        if (value == null) {
            return null;
        }
        Duration period = parse(value);
        String name = d.getMetadata().getName();
        String ns = d.getMetadata().getNamespace();
        boolean paused = d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused());
        String pausedAt = pausedAt(d);
        if (!paused) {
            LOG.info("Pausing Deployment '{}' in namespace '{}' for {}", name, ns, GoDuration.format(period));
            ops.add(JsonPatchOp.of("add", "/spec/paused", true));
            ops.add(JsonPatchOp.of("add", "/metadata/annotations/" + TemplatePatch.escape(keys.pausedAt()), Rfc3339.now(clock)));
            return period;
        }
        if (pausedAt.isEmpty()) {
            LOG.info("Deployment '{}' in namespace '{}' already paused", name, ns);
            return null;
        }
        rearm(d, period, pausedAt);
        return null;
    }

    /** How to have a Deployment's key handled again after a delay (the work queue's timer). */
    public void wakeWith(BiConsumer<WorkloadKey, Duration> wakeUp) {
        this.wake = wakeUp;
    }

    /** Arms the resume after the pausing write, unless one is already armed. */
    public void arm(WorkloadKey key, Duration period) {
        if (pending.putIfAbsent(key, clock.instant().plus(period)) == null) {
            wake.accept(key, period);
        }
    }

    /** The delay left before the armed resume of a Deployment, or null when none is armed (for tests). */
    Duration armedDelay(WorkloadKey key) {
        Instant due = pending.get(key);
        return due == null ? null : Duration.between(clock.instant(), due);
    }

    /**
     * Resumes the Deployment if its pause period is over; true when a resume was attempted (the cached copy of
     * the Deployment is stale then). A resume not due yet asks for another wake-up at its deadline.
     */
    public boolean resumeIfDue(WorkloadKey key) {
        Instant due = pending.get(key);
        if (due == null) {
            return false;
        }
        Duration left = Duration.between(clock.instant(), due);
        if (left.compareTo(Duration.ZERO) > 0) {
            wake.accept(key, left);
            return false;
        }
        if (!pending.remove(key, due)) {
            return false;
        }
        resume(key);
        return true;
    }

    /** At start-up: resume or re-arm every Deployment this controller (or Reloader) paused. */
    public void recover(Collection<HasMetadata> deployments) {
        for (HasMetadata o : deployments) {
            if (!(o instanceof Deployment d) || d.getSpec() == null || !Boolean.TRUE.equals(d.getSpec().getPaused())) {
                continue;
            }
            String pausedAt = pausedAt(d);
            if (pausedAt.isEmpty()) {
                continue;
            }
            String value = annotations(d).get(keys.pausePeriod());
            Duration period;
            try {
                period = value == null ? Duration.ZERO : GoDuration.parse(value);
            } catch (IllegalArgumentException e) {
                period = Duration.ZERO; // we paused it, and nothing says for how long: do not leave it paused
            }
            rearm(d, period, pausedAt);
        }
    }

    private void rearm(Deployment d, Duration period, String pausedAt) {
        WorkloadKey key = new WorkloadKey(WorkloadKind.DEPLOYMENT, d.getMetadata().getNamespace(), d.getMetadata().getName());
        Duration remaining;
        try {
            remaining = period.minus(Duration.between(Rfc3339.parse(pausedAt), clock.instant()));
        } catch (DateTimeParseException e) {
            remaining = Duration.ZERO;
        }
        arm(key, remaining.isNegative() ? Duration.ZERO : remaining);
    }

    void resume(WorkloadKey key) {
        pending.remove(key);
        try {
            Deployment d = (Deployment) api.read(key).orElse(null);
            if (d == null || d.getSpec() == null || !Boolean.TRUE.equals(d.getSpec().getPaused())
                    || pausedAt(d).isEmpty()) {
                LOG.info("Deployment '{}' in namespace '{}' not paused by Reloader. Skipping resume", key.name(),
                        key.namespace());
                return;
            }
            // JSON Patch rather than a merge patch with null: it removes the key on every API server, and the
            // resourceVersion precondition keeps us from resuming a Deployment someone changed meanwhile.
            api.patch(key, List.of(
                    JsonPatchOp.of("replace", "/metadata/resourceVersion", d.getMetadata().getResourceVersion()),
                    JsonPatchOp.of("remove", "/metadata/annotations/" + TemplatePatch.escape(keys.pausedAt()), null),
                    JsonPatchOp.of("replace", "/spec/paused", false)));
            LOG.info("Successfully resumed deployment '{}' in namespace '{}'", key.name(), key.namespace());
        } catch (KubernetesClientException e) {
            int attempt = failedResumes.merge(key, 1, Integer::sum);
            String error = io.reloader.kube.ApiErrors.describe(e);
            LOG.error("Failed to resume deployment '{}' in namespace '{}': {}", key.name(), key.namespace(), error);
            if (attempt >= MAX_RESUME_ATTEMPTS) {
                failedResumes.remove(key);
                LOG.error("Giving up resuming deployment '{}' in namespace '{}' after {} attempts; it stays paused "
                        + "until it is resumed by hand or the next reload", key.name(), key.namespace(), attempt);
                gaveUp.accept(key, error);
                return;
            }
            arm(key, RESUME_RETRY); // try again; leaving it paused is the failure to avoid
            return;
        }
        failedResumes.remove(key);
    }

    private Duration parse(String value) {
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            LOG.warn("Failed to parse pause interval value '{}': {}", value, e.getMessage());
            throw new ActionFailedException("invalid " + keys.pausePeriod() + " '" + value + "': " + e.getMessage());
        }
    }

    private static Map<String, String> annotations(HasMetadata o) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    private String pausedAt(HasMetadata o) {
        String v = annotations(o).get(keys.pausedAt());
        return v == null ? "" : v;
    }

    @Override
    public void close() {
        pending.clear(); // the next leader re-arms from paused-at
    }
}
