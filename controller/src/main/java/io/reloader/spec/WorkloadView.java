package io.reloader.spec;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;

import java.util.Map;

/** What the decision reads from a workload: both annotation maps and the pod spec. */
public record WorkloadView(WorkloadKey key, Map<String, String> metadataAnnotations,
                           Map<String, String> templateAnnotations, PodSpec podSpec) {

    public WorkloadView {
        metadataAnnotations = metadataAnnotations == null ? Map.of() : metadataAnnotations;
        templateAnnotations = templateAnnotations == null ? Map.of() : templateAnnotations;
        podSpec = podSpec == null ? new PodSpec() : podSpec;
    }

    public static WorkloadView of(HasMetadata workload) {
        WorkloadKind kind = KindRegistry.of(workload);
        PodTemplateSpec template = PodTemplates.inPlace(workload);
        WorkloadKey key = new WorkloadKey(kind, workload.getMetadata().getNamespace(),
                workload.getMetadata().getName());
        Map<String, String> templateAnnotations = template == null || template.getMetadata() == null ? null
                : template.getMetadata().getAnnotations();
        return new WorkloadView(key, workload.getMetadata().getAnnotations(), templateAnnotations,
                template == null ? null : template.getSpec());
    }
}
