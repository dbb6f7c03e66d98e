package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.model.RolloutStatus;

import java.util.List;
import java.util.Map;

/**
 * kstatus's rules ({@code sigs.k8s.io/cli-utils/pkg/kstatus/status}, core.go and generic.go) for the workload kinds,
 * read from the object as a tree the way kstatus reads unstructured objects (absent numbers count as 0). Where
 * kstatus is lenient about a field the kind's controller always writes, these insist on it: a status the controller
 * has not written yet is not a finished rollout. Pure.
 */
final class RolloutRules {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String ON_DELETE = "OnDelete";

    private RolloutRules() {
    }

    /** Deployment: the written generation observed, every replica updated and available, no deadline exceeded. */
    static RolloutStatus deployment(HasMetadata workload) {
        Tree t = Tree.of(workload);
        int spec = (int) t.num("spec.replicas", 1);
        int updated = (int) t.num("status.updatedReplicas", 0);
        int available = (int) t.num("status.availableReplicas", 0);
        int replicas = (int) t.num("status.replicas", 0);
        RolloutStatus unobserved = generationNotObserved(t, true, updated, spec);
        if (unobserved != null) {
            return unobserved;
        }
        for (Map<?, ?> c : t.conditions()) {
            if ("Progressing".equals(c.get("type")) && "ProgressDeadlineExceeded".equals(c.get("reason"))
                    && !"True".equals(c.get("status"))) {
                return RolloutStatus.stalled("ProgressDeadlineExceeded", text(c.get("message"),
                        "Progress deadline exceeded"), updated, spec);
            }
        }
        if (spec > updated) {
            return RolloutStatus.inProgress("LessUpdated", "Updated: " + updated + "/" + spec, updated, spec);
        }
        if (replicas > spec) {
            return RolloutStatus.inProgress("ExtraPods", "Pending termination: " + (replicas - spec), updated, spec);
        }
        if (updated > available || spec > available) {
            return RolloutStatus.inProgress("LessAvailable", "Available: " + available + "/" + spec, updated, spec);
        }
        return RolloutStatus.current("Deployment is available. Replicas: " + spec, updated, spec);
    }

    /** StatefulSet: as kstatus, plus every replica updated; OnDelete waits for its pods to be deleted. */
    static RolloutStatus statefulSet(HasMetadata workload) {
        Tree t = Tree.of(workload);
        int spec = (int) t.num("spec.replicas", 1);
        int updated = (int) t.num("status.updatedReplicas", 0);
        if (ON_DELETE.equals(t.str("spec.updateStrategy.type"))) {
            return onDelete("StatefulSet", updated, spec);
        }
        RolloutStatus unobserved = generationNotObserved(t, true, updated, spec);
        if (unobserved != null) {
            return unobserved;
        }
        int ready = (int) t.num("status.readyReplicas", 0);
        int replicas = (int) t.num("status.replicas", 0);
        long partition = t.num("spec.updateStrategy.rollingUpdate.partition", 0);
        if (spec > ready) {
            return RolloutStatus.inProgress("LessReady", "Ready: " + ready + "/" + spec, updated, spec);
        }
        if (replicas > spec) {
            return RolloutStatus.inProgress("ExtraPods", "Pending termination: " + (replicas - spec), updated, spec);
        }
        if (partition > 0) {
            int wanted = (int) Math.max(0, spec - partition);
            return updated < wanted
                    ? RolloutStatus.inProgress("PartitionRollout", "Updated: " + updated + "/" + wanted, updated, spec)
                    : RolloutStatus.current("Partition rollout complete. Updated: " + updated, updated, spec);
        }
        if (spec > updated) {
            return RolloutStatus.inProgress("LessUpdated", "Updated: " + updated + "/" + spec, updated, spec);
        }
        String current = t.str("status.currentRevision");
        String update = t.str("status.updateRevision");
        if (current == null ? update != null : !current.equals(update)) {
            return RolloutStatus.inProgress("RevisionMismatch", "Waiting for the current revision " + current
                    + " to become the update revision " + update, updated, spec);
        }
        return RolloutStatus.current("All replicas updated and ready. Replicas: " + spec, updated, spec);
    }

    /** DaemonSet: the written generation observed, every scheduled pod updated and available. */
    static RolloutStatus daemonSet(HasMetadata workload) {
        Tree t = Tree.of(workload);
        int updated = (int) t.num("status.updatedNumberScheduled", 0);
        int desired = (int) t.num("status.desiredNumberScheduled", -1);
        if (ON_DELETE.equals(t.str("spec.updateStrategy.type"))) {
            return onDelete("DaemonSet", updated, desired);
        }
        RolloutStatus unobserved = generationNotObserved(t, true, updated, desired);
        if (unobserved != null) {
            return unobserved;
        }
        if (desired < 0) {
            return RolloutStatus.inProgress("NoDesiredNumber", "Missing .status.desiredNumberScheduled", updated, -1);
        }
        int available = (int) t.num("status.numberAvailable", 0);
        if (desired > updated) {
            return RolloutStatus.inProgress("LessUpdated", "Updated: " + updated + "/" + desired, updated, desired);
        }
        if (desired > available) {
            return RolloutStatus.inProgress("LessAvailable", "Available: " + available + "/" + desired, updated,
                    desired);
        }
        return RolloutStatus.current("All pods updated and available. Pods: " + desired, updated, desired);
    }

    /** Job: done when its Complete condition is True, stalled when its Failed condition is. */
    static RolloutStatus job(HasMetadata workload) {
        Tree t = Tree.of(workload);
        int completions = (int) t.num("spec.completions", t.num("spec.parallelism", 1));
        int succeeded = (int) t.num("status.succeeded", 0);
        for (Map<?, ?> c : t.conditions()) {
            if (!"True".equals(c.get("status"))) {
                continue;
            }
            if ("Complete".equals(c.get("type"))) {
                return RolloutStatus.current("Job completed. Succeeded: " + succeeded + "/" + completions, succeeded,
                        completions);
            }
            if ("Failed".equals(c.get("type"))) {
                String reason = text(c.get("reason"), "JobFailed");
                return RolloutStatus.stalled(reason, "Job failed (" + reason + ")" + suffix(c.get("message")),
                        succeeded, completions);
            }
        }
        return RolloutStatus.inProgress("JobNotComplete", "Job not complete. Active: " + t.num("status.active", 0)
                + ", succeeded: " + succeeded + ", failed: " + t.num("status.failed", 0), succeeded, completions);
    }

    /** Argo Rollout: its phase, once the written generation is observed. */
    static RolloutStatus argoRollout(HasMetadata workload) {
        Tree t = Tree.of(workload);
        int spec = (int) t.num("spec.replicas", 1);
        int updated = (int) t.num("status.updatedReplicas", 0);
        RolloutStatus unobserved = generationNotObserved(t, false, updated, spec);
        if (unobserved != null) {
            return unobserved;
        }
        String phase = t.str("status.phase");
        String message = text(t.str("status.message"), "");
        if ("Healthy".equals(phase)) {
            return RolloutStatus.current("Rollout is Healthy", updated, spec);
        }
        if ("Degraded".equals(phase)) {
            return RolloutStatus.stalled("Degraded", "Rollout is Degraded" + suffix(message), updated, spec);
        }
        return RolloutStatus.inProgress(phase == null ? "NoPhase" : phase, "Rollout is " + (phase == null
                ? "not yet reported" : phase) + suffix(message), updated, spec);
    }

    /**
     * A kind kstatus has no rules for: the generic ones (generation observed where the status says, the Reconciling
     * and Stalled conditions), then a Ready condition where there is one; nothing known means Current.
     */
    static RolloutStatus generic(HasMetadata workload) {
        Tree t = Tree.of(workload);
        int spec = (int) t.num("spec.replicas", -1);
        int updated = (int) t.num("status.updatedReplicas", -1);
        RolloutStatus unobserved = generationNotObserved(t, false, updated, spec);
        if (unobserved != null) {
            return unobserved;
        }
        for (Map<?, ?> c : t.conditions()) {
            if ("True".equals(c.get("status")) && "Reconciling".equals(c.get("type"))) {
                return RolloutStatus.inProgress(text(c.get("reason"), "Reconciling"), text(c.get("message"), ""),
                        updated, spec);
            }
            if ("True".equals(c.get("status")) && "Stalled".equals(c.get("type"))) {
                return RolloutStatus.stalled(text(c.get("reason"), "Stalled"), text(c.get("message"), "Stalled"),
                        updated, spec);
            }
        }
        for (Map<?, ?> c : t.conditions()) {
            if ("Ready".equals(c.get("type"))) {
                return "True".equals(c.get("status")) ? RolloutStatus.current("Resource is Ready", updated, spec)
                        : RolloutStatus.inProgress(text(c.get("reason"), "NotReady"), text(c.get("message"),
                        "Ready is " + c.get("status")), updated, spec);
            }
        }
        return RolloutStatus.current("Resource is current", updated, spec);
    }

    /**
     * InProgress while the kind's controller has not observed the latest generation; null once it has. Where the
     * controller always writes observedGeneration ({@code required}), its absence means "not yet".
     */
    private static RolloutStatus generationNotObserved(Tree t, boolean required, int updated, int desired) {
        long generation = t.num("metadata.generation", -1);
        Long observed = t.numOrNull("status.observedGeneration");
        if (observed == null) {
            return required && generation >= 0 ? RolloutStatus.inProgress("NoObservedGeneration",
                    "status.observedGeneration not written yet", updated, desired) : null;
        }
        if (generation >= 0 && observed < generation) {
            return RolloutStatus.inProgress("LatestGenerationNotObserved", "generation is " + generation
                    + ", but latest observed generation is " + observed, updated, desired);
        }
        return null;
    }

    private static RolloutStatus onDelete(String kind, int updated, int desired) {
        return new RolloutStatus(RolloutStatus.State.WAITING_FOR_POD_DELETION, "OnDelete", kind
                + " uses updateStrategy OnDelete: its pods pick up the change only when they are deleted", updated,
                desired);
    }

    private static String text(Object value, String otherwise) {
        return value == null || String.valueOf(value).isEmpty() ? otherwise : String.valueOf(value);
    }

    private static String suffix(Object message) {
        return message == null || String.valueOf(message).isEmpty() ? "" : ": " + message;
    }

    /** An object as nested maps, read by dotted paths. */
    private record Tree(Map<?, ?> root) {
        static Tree of(HasMetadata o) {
            return new Tree(JSON.convertValue(o, Map.class));
        }

        Object at(String path) {
            Object node = root;
            for (String part : path.split("\\.")) {
                if (!(node instanceof Map<?, ?> m)) {
                    return null;
                }
                node = m.get(part);
            }
            return node;
        }

        long num(String path, long otherwise) {
            Long v = numOrNull(path);
            return v == null ? otherwise : v;
        }

        /** A number, also when written as a string (Argo Rollouts writes observedGeneration so). */
        Long numOrNull(String path) {
            Object v = at(path);
            if (v instanceof Number n) {
                return n.longValue();
            }
            if (v instanceof String s && !s.isEmpty()) {
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    return null; // an old Argo Rollouts wrote a hash here: not a generation
                }
            }
            return null;
        }

        String str(String path) {
            Object v = at(path);
            return v == null ? null : String.valueOf(v);
        }

        List<Map<?, ?>> conditions() {
            return at("status.conditions") instanceof List<?> l
                    ? l.stream().filter(Map.class::isInstance).<Map<?, ?>>map(Map.class::cast).toList() : List.of();
        }
    }
}
