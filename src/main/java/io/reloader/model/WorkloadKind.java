package io.reloader.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.function.Function;

/**
 * The workload kinds this controller rolls, each with where its pod template lives. Listed in Reloader's
 * fixed processing order.
 */
public enum WorkloadKind {
    DEPLOYMENT("Deployment", "deployments", Deployment.class, o -> ((Deployment) o).getSpec() == null ? null
            : ((Deployment) o).getSpec().getTemplate()),
    DAEMONSET("DaemonSet", "daemonSets", DaemonSet.class, o -> ((DaemonSet) o).getSpec() == null ? null
            : ((DaemonSet) o).getSpec().getTemplate()),
    STATEFULSET("StatefulSet", "statefulSets", StatefulSet.class, o -> ((StatefulSet) o).getSpec() == null ? null
            : ((StatefulSet) o).getSpec().getTemplate());

    private final String kindName;
    private final String listName;
    private final Class<? extends HasMetadata> type;
    private final Function<HasMetadata, PodTemplateSpec> template;

    WorkloadKind(String kindName, String listName, Class<? extends HasMetadata> type,
                 Function<HasMetadata, PodTemplateSpec> template) {
        this.kindName = kindName;
        this.listName = listName;
        this.type = type;
        this.template = template;
    }

    /** The Kubernetes kind, as printed in Reloader's log lines and Events. */
    public String kindName() {
        return kindName;
    }

    /** The word Reloader uses in {@code Failed to list <listName>}. */
    public String listName() {
        return listName;
    }

    public Class<? extends HasMetadata> type() {
        return type;
    }

    /** The model class, typed for the generic client calls that serve every kind alike. */
    @SuppressWarnings("unchecked")
    public Class<HasMetadata> rawType() {
        return (Class<HasMetadata>) type;
    }

    /** JSON-pointer to the pod template inside the object. */
    public String templatePath() {
        return "/spec/template";
    }

    /** The pod template of an object of this kind, or null if it has none. */
    public PodTemplateSpec podTemplate(HasMetadata workload) {
        return template.apply(workload);
    }

    public static WorkloadKind of(HasMetadata workload) {
        for (WorkloadKind k : values()) {
            if (k.type.isInstance(workload)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not a supported workload: " + workload.getKind());
    }
}
