package io.reloader.workload;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.strategy.AppliedHashes;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.model.RolloutStatus;
import io.reloader.model.WorkloadKind;
import io.reloader.write.WorkloadApi;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Argo Rollouts: the template patch, or with {@code reloader.stakater.com/rollout-strategy: restart} (or a
 * template that lives in a referenced Deployment) {@code spec.restartAt}.
 */
final class RolloutAdapter implements WorkloadAdapter {
    private final WorkloadApi api;
    private final Clock clock;

    RolloutAdapter(WorkloadApi api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.ROLLOUT;
    }

    /** Argo's CRD may be missing: the Rollouts are dropped with a warning, everything else is reloaded. */
    @Override
    public boolean optional() {
        return true;
    }

    @Override
    public String enabledBy() {
        return "--is-Argo-Rollouts=true";
    }

    /** A Rollout with {@code spec.workloadRef} runs the referenced Deployment's template. */
    @Override
    public WorkloadKey templateSource(HasMetadata workload) {
        Map<String, Object> ref = workloadRef(workload);
        if (ref == null || !"Deployment".equals(ref.get("kind")) || ref.get("name") == null) {
            return null;
        }
        return new WorkloadKey(WorkloadKind.DEPLOYMENT, workload.getMetadata().getNamespace(),
                String.valueOf(ref.get("name")));
    }

    /** The {@code spec.workloadRef} of an Argo Rollout, or null when it has its own template. */
    static Map<String, Object> workloadRef(HasMetadata rollout) {
        if (!(rollout instanceof GenericKubernetesResource g)) {
            return null;
        }
        Object spec = g.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> m && m.get("workloadRef") instanceof Map<?, ?> ref) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) ref;
            return typed;
        }
        return null;
    }

    @Override
    public Optional<HasMetadata> reload(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        Map<String, String> annotations = current.getMetadata().getAnnotations() == null ? Map.of()
                : current.getMetadata().getAnnotations();
        boolean restart = "restart".equals(annotations.get(AnnotationKeys.ROLLOUT_STRATEGY))
                || workloadRef(current) != null;
        if (!restart) {
            return Optional.of(api.patch(key, plan.patch()));
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", AppliedHashes.metadataPatch(current.getMetadata().getResourceVersion(), plan.record()));
        patch.put("spec", Map.of("restartAt", Rfc3339.now(clock)));
        return Optional.of(api.mergePatch(key, patch));
    }

    @Override
    public RolloutStatus rolloutStatus(HasMetadata workload) {
        return RolloutRules.argoRollout(workload);
    }

    /** Sequential rollouts wait for a Rollout until its phase says the written generation rolled out. */
    @Override
    public boolean available(HasMetadata workload, long generation) {
        return WorkloadAdapter.currentAt(this, workload, generation);
    }
}
