package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.config.AnnotationKeys;
import io.reloader.kube.ApiErrors;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.write.WorkloadApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The {@code evict} rollout strategy ({@code reloader.stakater.com/rollout-strategy: evict}), for workloads whose
 * template an operator owns and would revert: the template is not touched; the workload's pods are evicted one at a
 * time through the Eviction API, so PodDisruptionBudgets hold (a refused eviction waits and tries again), each after
 * the replacement of the one before is Ready. The hash the pods were restarted for is recorded in the workload's
 * metadata (the applied-hashes record), so restarts, retries and leader changes do not evict again.
 */
public final class PodEvictor {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final Duration POLL = Duration.ofMillis(250);

    private final KubernetesClient client;
    private final WorkloadApi api;
    private final Duration timeout;
    private final LongConsumer evicted;

    /**
     * @param timeout how long the whole restart may take (PDBs refusing, replacements not getting Ready)
     * @param evicted told of each pod evicted (for a metric)
     */
    public PodEvictor(KubernetesClient client, WorkloadApi api, Duration timeout, LongConsumer evicted) {
        this.client = client;
        this.api = api;
        this.timeout = timeout;
        this.evicted = evicted;
    }

    public static boolean wanted(HasMetadata workload) {
        Map<String, String> a = workload.getMetadata().getAnnotations();
        return a != null && "evict".equals(a.get(AnnotationKeys.ROLLOUT_STRATEGY));
    }

    /** Evicts the workload's pods one by one, then records the hashes; the object to record Events on. */
    public Optional<HasMetadata> restart(WorkloadKey key, HasMetadata workload, ReloadPlan plan) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Pod> pods = pods(key.namespace(), workload);
        LOG.info("Restarting {} pod(s) of {} '{}' in namespace '{}' by eviction", pods.size(), key.kind().kindName(),
                key.name(), key.namespace());
        int ready = (int) pods.stream().filter(PodEvictor::ready).count();
        for (Pod pod : pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
            evict(pod, deadline);
            evicted.accept(1);
            awaitReplacement(key.namespace(), workload, pod, ready, deadline);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("annotations", Map.of(AnnotationKeys.APPLIED_HASHES, plan.record()));
        return Optional.of(api.mergePatch(key, Map.of("metadata", metadata)));
    }

    private void evict(Pod pod, long deadline) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        while (true) {
            boolean done;
            try {
                done = client.pods().inNamespace(ns).withName(name).evict();
            } catch (RuntimeException e) {
                throw new ActionFailedException("eviction of pod '" + name + "' failed: " + ApiErrors.describe(e));
            }
            if (done) {
                return;
            }
            // 429: a PodDisruptionBudget does not allow it now.
            if (System.nanoTime() > deadline) {
                throw new ActionFailedException("eviction of pod '" + name + "' still refused by a "
                        + "PodDisruptionBudget after " + timeout.toSeconds() + "s; the remaining pods were not restarted");
            }
            sleep();
        }
    }

    /** Waits until the evicted pod is gone and as many pods are Ready as were before. */
    private void awaitReplacement(String ns, HasMetadata workload, Pod evictedPod, int ready, long deadline) {
        String uid = evictedPod.getMetadata().getUid();
        while (true) {
            List<Pod> now = pods(ns, workload);
            boolean gone = now.stream().noneMatch(p -> uid != null && uid.equals(p.getMetadata().getUid()));
            long readyNow = now.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .filter(PodEvictor::ready).count();
            if (gone && readyNow >= ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ActionFailedException("the replacement of pod '" + evictedPod.getMetadata().getName()
                        + "' was not Ready within " + timeout.toSeconds() + "s; the remaining pods were not restarted");
            }
            sleep();
        }
    }

    /** The workload's pods: by its selector's matchLabels, else those it owns directly. */
    @SuppressWarnings("unchecked")
    private List<Pod> pods(String ns, HasMetadata workload) {
        JsonNode labels = JSON.convertValue(workload, JsonNode.class).at("/spec/selector/matchLabels");
        if (labels.isObject() && !labels.isEmpty()) {
            Map<String, String> selector = JSON.convertValue(labels, Map.class);
            return client.pods().inNamespace(ns).withLabels(selector).list().getItems();
        }
        String uid = workload.getMetadata().getUid();
        return client.pods().inNamespace(ns).list().getItems().stream().filter(p -> p.getMetadata().getOwnerReferences()
                != null && p.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid() != null
                && o.getUid().equals(uid))).toList();
    }

    private static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailedException("interrupted while restarting pods");
        }
    }
}
