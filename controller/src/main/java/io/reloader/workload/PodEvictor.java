package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.strategy.AppliedHashes;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.write.WorkloadApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * The {@code evict} rollout strategy ({@code reloader.stakater.com/rollout-strategy: evict}), for workloads whose
 * template an operator owns and would revert: the template is not touched; the workload's pods ({@link PodSelection})
 * are evicted one at a time through the Eviction API, so PodDisruptionBudgets hold, each after the replacement of
 * the one before is Ready. Each call is one step from the state found: evict the next pod, or say when to look
 * again (a refused eviction, a replacement not Ready yet), never waiting on the caller's thread. The hash the pods
 * were restarted for is recorded in the workload's metadata (the applied-hashes record) once all are done, so
 * restarts, retries and leader changes do not evict again.
 */
public final class PodEvictor {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    static final Duration POLL = Duration.ofMillis(250);
    private static final Duration REFUSED_FIRST = Duration.ofMillis(100);
    private static final Duration REFUSED_MAX = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final WorkloadApi api;
    private final Duration timeout;
    private final LongConsumer evicted;
    private final Clock clock;
    /** Restarts under way, per workload: bounded by the workloads annotated evict. */
    private final Map<WorkloadKey, Run> runs = new ConcurrentHashMap<>();

    /** One restart: the pods to evict (uid → name, by name), the one being replaced, and when it began. */
    private static final class Run {
        final String record;
        final Instant started;
        final LinkedHashMap<String, String> remaining;
        final long readyBefore;
        String replacing;
        String replacingName;
        int refusals;

        Run(String record, Instant started, LinkedHashMap<String, String> remaining, long readyBefore) {
            this.record = record;
            this.started = started;
            this.remaining = remaining;
            this.readyBefore = readyBefore;
        }
    }

    /**
     * @param timeout how long the whole restart may take (PDBs refusing, replacements not getting Ready)
     * @param evicted told of each pod evicted (for a metric)
     */
    public PodEvictor(KubernetesClient client, WorkloadApi api, Duration timeout, LongConsumer evicted, Clock clock) {
        this.client = client;
        this.api = api;
        this.timeout = timeout;
        this.evicted = evicted;
        this.clock = clock;
    }

    public static boolean wanted(HasMetadata workload) {
        Map<String, String> a = workload.getMetadata().getAnnotations();
        return a != null && "evict".equals(a.get(AnnotationKeys.ROLLOUT_STRATEGY));
    }

    /** True while a restart of the workload is under way. */
    public boolean inProgress(WorkloadKey key) {
        return runs.containsKey(key);
    }

    /** Forgets a restart (the workload is gone, or the reload failed for good). */
    public void forget(WorkloadKey key) {
        runs.remove(key);
    }

    /** One step of restarting the workload's pods for the plan; a new plan (another change) starts over. */
    public Progress step(WorkloadKey key, HasMetadata workload, ReloadPlan plan) {
        PodSelection selection = PodSelection.of(workload);
        if (selection.problem() != null) {
            runs.remove(key);
            return new Progress.Skipped(selection.problem());
        }
        Instant now = clock.instant();
        Run run = runs.get(key);
        if (run == null || !run.record.equals(plan.record())) {
            List<Pod> pods = pods(key.namespace(), selection).stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
            LinkedHashMap<String, String> remaining = new LinkedHashMap<>();
            pods.forEach(p -> remaining.put(p.getMetadata().getUid(), p.getMetadata().getName()));
            run = new Run(plan.record(), now, remaining, pods.stream().filter(PodEvictor::ready).count());
            runs.put(key, run);
            LOG.info("Restarting {} pod(s) of {} '{}' in namespace '{}' by eviction", pods.size(),
                    key.kind().kindName(), key.name(), key.namespace());
        }
        if (Duration.between(run.started, now).compareTo(timeout) > 0) {
            runs.remove(key);
            throw new ActionFailedException((run.replacing != null ? "the replacement of pod '"
                    + run.replacingName + "' was not Ready" : "eviction of pod '" + firstName(run)
                    + "' still refused by a PodDisruptionBudget") + " after " + timeout.toSeconds()
                    + "s; the remaining pods were not restarted");
        }
        List<Pod> current = pods(key.namespace(), selection);
        if (run.replacing != null) {
            String uid = run.replacing;
            boolean gone = current.stream().noneMatch(p -> uid.equals(p.getMetadata().getUid()));
            long readyNow = current.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .filter(PodEvictor::ready).count();
            if (!gone || readyNow < run.readyBefore) {
                return new Progress.Waiting(POLL);
            }
            run.replacing = null;
        }
        Set<String> present = current.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        while (!run.remaining.isEmpty()) {
            Map.Entry<String, String> next = run.remaining.entrySet().iterator().next();
            if (!present.contains(next.getKey()) || evict(key, next.getValue())) {
                run.remaining.remove(next.getKey());
                if (present.contains(next.getKey())) {
                    evicted.accept(1);
                    run.replacing = next.getKey();
                    run.replacingName = next.getValue();
                    run.refusals = 0;
                    return new Progress.Waiting(POLL);
                }
                continue; // gone on its own: its replacement already runs the current data
            }
            // 429: a PodDisruptionBudget does not allow it now; look again after a growing pause.
            run.refusals++;
            long nanos = REFUSED_FIRST.toNanos() << Math.min(run.refusals - 1, 10);
            return new Progress.Waiting(Duration.ofNanos(Math.min(nanos, REFUSED_MAX.toNanos())));
        }
        HasMetadata written = api.mergePatch(key, Map.of("metadata", AppliedHashes.metadataPatch(null, plan.record())));
        runs.remove(key);
        return new Progress.Written(Optional.of(written));
    }

    /** True when evicted (or already gone), false when a PodDisruptionBudget refused it (429). */
    private boolean evict(WorkloadKey key, String pod) {
        try {
            return client.pods().inNamespace(key.namespace()).withName(pod).evict();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return true;
            }
            throw e;
        }
    }

    private static String firstName(Run run) {
        return run.remaining.isEmpty() ? "?" : run.remaining.values().iterator().next();
    }

    /** The workload's pods: matched by its whole selector and owned by it (directly or through a ReplicaSet). */
    private List<Pod> pods(String ns, PodSelection selection) {
        var pods = client.pods().inNamespace(ns);
        List<Pod> matching = (selection.matchLabels().isEmpty() ? pods.list()
                : pods.withLabels(selection.matchLabels()).list()).getItems().stream()
                .filter(p -> selection.matches(p.getMetadata().getLabels())).toList();
        Set<String> replicaSets = Set.of();
        if (matching.stream().map(PodSelection::controllerOf).anyMatch(o -> o != null
                && "ReplicaSet".equals(o.getKind()) && !selection.uid().equals(o.getUid()))) {
            var sets = client.apps().replicaSets().inNamespace(ns);
            replicaSets = (selection.matchLabels().isEmpty() ? sets.list() : sets.withLabels(selection.matchLabels())
                    .list()).getItems().stream().filter(rs -> WorkloadApi.controlledBy(rs, selection.uid()))
                    .map(rs -> rs.getMetadata().getUid()).collect(Collectors.toSet());
        }
        Set<String> owned = replicaSets;
        return matching.stream().filter(p -> selection.owns(p, owned)).toList();
    }

    private static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
