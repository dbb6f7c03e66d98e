package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which pods are a workload's, for the evict strategy: those its whole selector matches ({@code matchLabels} and
 * {@code matchExpressions}, evaluated here because not every API server filters set-based selectors) and that it
 * owns: the pod's controller is the workload itself (StatefulSet, DaemonSet, Job, most operator kinds), or a
 * ReplicaSet whose controller is the workload (Deployment, Argo Rollout). A selector that is missing, empty or
 * cannot be evaluated selects nothing, with the reason.
 */
final class PodSelection {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final String uid;
    private final LabelSelector selector;
    private final String problem;

    private PodSelection(String uid, LabelSelector selector, String problem) {
        this.uid = uid;
        this.selector = selector;
        this.problem = problem;
    }

    static PodSelection of(HasMetadata workload) {
        String uid = workload.getMetadata().getUid();
        JsonNode node = JSON.convertValue(workload, JsonNode.class).at("/spec/selector");
        if (node.isMissingNode() || node.isNull()) {
            return new PodSelection(uid, null, "it has no spec.selector");
        }
        if (!node.isObject()) {
            return new PodSelection(uid, null, "its spec.selector is not a label selector");
        }
        LabelSelector selector;
        try {
            selector = JSON.convertValue(node, LabelSelector.class);
        } catch (RuntimeException e) {
            return new PodSelection(uid, null, "its spec.selector is not a label selector");
        }
        String problem = problem(selector);
        if (problem == null && (uid == null || uid.isEmpty())) {
            problem = "it has no uid, so the pods it owns cannot be told";
        }
        return new PodSelection(uid, problem == null ? selector : null, problem);
    }

    private static String problem(LabelSelector s) {
        boolean noLabels = s.getMatchLabels() == null || s.getMatchLabels().isEmpty();
        boolean noExpressions = s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty();
        if (noLabels && noExpressions) {
            return "its selector is empty (it would select every pod in the namespace)";
        }
        for (LabelSelectorRequirement r : noExpressions ? List.<LabelSelectorRequirement>of() : s.getMatchExpressions()) {
            String op = r.getOperator();
            int values = r.getValues() == null ? 0 : r.getValues().size();
            if (r.getKey() == null || r.getKey().isEmpty()) {
                return "a matchExpressions item has no key";
            }
            if ("In".equals(op) || "NotIn".equals(op)) {
                if (values == 0) {
                    return "matchExpressions '" + r.getKey() + " " + op + "' has no values";
                }
            } else if ("Exists".equals(op) || "DoesNotExist".equals(op)) {
                if (values != 0) {
                    return "matchExpressions '" + r.getKey() + " " + op + "' must not have values";
                }
            } else {
                return "matchExpressions '" + r.getKey() + "' has the unsupported operator '" + op + "'";
            }
        }
        return null;
    }

    /** Why nothing can be selected, or null when the selection is usable. */
    String problem() {
        return problem;
    }

    /** The equality part, which every API server filters (narrows the LIST); may be empty. */
    Map<String, String> matchLabels() {
        return selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    }

    boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Map.Entry<String, String> e : matchLabels().entrySet()) {
            if (!e.getValue().equals(l.get(e.getKey()))) {
                return false;
            }
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions() == null ? List.<LabelSelectorRequirement>of()
                : selector.getMatchExpressions()) {
            String v = l.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> v != null && r.getValues().contains(v);
                case "NotIn" -> v == null || !r.getValues().contains(v);
                case "Exists" -> v != null;
                default -> v == null; // DoesNotExist; other operators were refused above
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The pod's controller is the workload, or one of the workload's ReplicaSets (their uids given). */
    boolean owns(Pod pod, Set<String> replicaSetUids) {
        OwnerReference controller = controllerOf(pod);
        return controller != null && (uid.equals(controller.getUid())
                || "ReplicaSet".equals(controller.getKind()) && replicaSetUids.contains(controller.getUid()));
    }

    String uid() {
        return uid;
    }

    static OwnerReference controllerOf(HasMetadata o) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        return refs == null ? null
                : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(null);
    }
}
