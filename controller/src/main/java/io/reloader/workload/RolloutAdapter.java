package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.model.RolloutStatus;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.PodTemplates;
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

    @Override
    public Optional<HasMetadata> reload(WorkloadKey key, HasMetadata current, ReloadPlan plan) {
        Map<String, String> annotations = current.getMetadata().getAnnotations() == null ? Map.of()
                : current.getMetadata().getAnnotations();
        boolean restart = "restart".equals(annotations.get(AnnotationKeys.ROLLOUT_STRATEGY))
                || PodTemplates.rolloutWorkloadRef(current) != null;
        if (!restart) {
            return Optional.of(api.patch(key, plan.patch()));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resourceVersion", current.getMetadata().getResourceVersion());
        metadata.put("annotations", Map.of(AnnotationKeys.APPLIED_HASHES, plan.record()));
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", metadata);
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
