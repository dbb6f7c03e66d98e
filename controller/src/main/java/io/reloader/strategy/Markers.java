package io.reloader.strategy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.PodTemplates;
import io.reloader.spec.References;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the reload markers a workload carries: the applied-hashes record, the {@code last-reloaded-from}
 * annotation and {@code STAKATER_*} variables, whether written by this project or by Reloader before the swap.
 */
public final class Markers {
    private Markers() {
    }

    /** Every source the workload carries a hash for, with that hash. The record wins over the other markers. */
    public static Map<SourceRef, String> carried(HasMetadata workload) {
        String ns = workload.getMetadata().getNamespace();
        Map<SourceRef, String> out = new LinkedHashMap<>(record(workload).entries(ns));
        PodTemplateSpec template = PodTemplates.inPlace(workload);
        if (template == null) {
            return out;
        }
        marker(template).ifPresent(m -> out.putIfAbsent(new SourceRef(m.type(), m.namespace(), m.name()), m.hash()));
        if (template.getSpec() != null) {
            for (References.Ref ref : References.of(template.getSpec())) {
                String var = EnvVarNames.of(ref.name(), ref.type());
                envValue(template, var).ifPresent(v -> out.putIfAbsent(new SourceRef(ref.type(), ns, ref.name()), v));
            }
            // The ServiceAccount's variable, which no reference names (--reload-on-serviceaccount-change)
            String sa = References.serviceAccount(template.getSpec());
            envValue(template, EnvVarNames.of(sa, io.reloader.model.SourceType.SERVICEACCOUNT)).ifPresent(v ->
                    out.putIfAbsent(new SourceRef(io.reloader.model.SourceType.SERVICEACCOUNT, ns, sa), v));
        }
        return out;
    }

    public static AppliedHashes record(HasMetadata workload) {
        Map<String, String> a = workload.getMetadata().getAnnotations();
        return AppliedHashes.parse(a == null ? null : a.get(AnnotationKeys.APPLIED_HASHES));
    }

    public static Optional<ReloadedFromMarker> marker(PodTemplateSpec template) {
        return Optional.ofNullable(markerText(template)).flatMap(ReloadedFromMarker::parse);
    }

    static String markerText(PodTemplateSpec template) {
        return template == null || template.getMetadata() == null || template.getMetadata().getAnnotations() == null
                ? null : template.getMetadata().getAnnotations().get(AnnotationKeys.LAST_RELOADED_FROM);
    }

    /** The value of the variable in the first container that has it. */
    public static Optional<String> envValue(PodTemplateSpec template, String var) {
        if (template == null || template.getSpec() == null) {
            return Optional.empty();
        }
        for (Container c : nullSafe(template.getSpec().getContainers())) {
            for (EnvVar e : nullSafe(c.getEnv())) {
                if (var.equals(e.getName()) && e.getValue() != null) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * How an update took away a marker this project wrote while its record stayed the same (docs/compatibility.md#revert-detection): a GitOps
     * tool or an operator reverted it. Empty when nothing of ours was reverted.
     */
    public static Optional<String> reverted(HasMetadata before, HasMetadata after) {
        String recordBefore = annotation(before, AnnotationKeys.APPLIED_HASHES);
        if (recordBefore == null || !recordBefore.equals(annotation(after, AnnotationKeys.APPLIED_HASHES))) {
            return Optional.empty(); // no record, or our own write: records change only when we write
        }
        WorkloadKind kind = KindRegistry.of(before);
        PodTemplateSpec old = PodTemplates.inPlace(before);
        PodTemplateSpec neu = PodTemplates.inPlace(after);
        Map<SourceRef, String> recorded = record(after).entries(after.getMetadata().getNamespace());
        String oldMarker = markerText(old);
        String newMarker = markerText(neu);
        if (oldMarker != null && !oldMarker.equals(newMarker) && marker(old).filter(m -> m.hash().equals(
                recorded.get(new SourceRef(m.type(), m.namespace(), m.name())))).isPresent()) {
            return Optional.of("annotation " + AnnotationKeys.LAST_RELOADED_FROM + " was "
                    + (newMarker == null ? "removed" : "changed"));
        }
        for (Map.Entry<SourceRef, String> e : recorded.entrySet()) {
            String var = EnvVarNames.of(e.getKey().name(), e.getKey().type());
            boolean had = envValue(old, var).filter(e.getValue()::equals).isPresent();
            Optional<String> now = envValue(neu, var);
            if (had && now.filter(e.getValue()::equals).isEmpty()) {
                return Optional.of("env var " + var + " was " + (now.isEmpty() ? "removed" : "changed"));
            }
        }
        return Optional.empty();
    }

    /**
     * How the template disagrees with our record about one source, seen without the update that did it (a rollout
     * undo or a GitOps sync while no controller watched): the strategy's marker for the source is there but holds
     * another hash than the record. A missing marker is not taken as a revert here: it may never have been written
     * (a strategy switch, a restart by eviction). Empty when the template agrees or says nothing.
     */
    public static Optional<String> differsFromRecord(HasMetadata workload, SourceRef ref, String recorded,
                                                     boolean envVars) {
        PodTemplateSpec template = PodTemplates.inPlace(workload);
        if (envVars) {
            String var = EnvVarNames.of(ref.name(), ref.type());
            return envValue(template, var).filter(v -> !v.equals(recorded)).map(v -> "env var " + var + " was changed");
        }
        return marker(template).filter(m -> m.type() == ref.type() && m.name().equals(ref.name())
                        && m.namespace().equals(ref.namespace()) && !m.hash().equals(recorded))
                .map(m -> "annotation " + AnnotationKeys.LAST_RELOADED_FROM + " was changed");
    }

    private static String annotation(HasMetadata o, String key) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }

}
