package io.reloader.model;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Map;
import java.util.function.Function;

/**
 * The workload kinds this controller rolls, in Reloader's fixed processing order, each with where its pod
 * template lives and how to reach it through the client.
 */
public enum WorkloadKind {
    DEPLOYMENT("Deployment", "deployments", Deployment.class, "/spec/template",
            o -> ((Deployment) o).getSpec() == null ? null : ((Deployment) o).getSpec().getTemplate()),
    CRONJOB("CronJob", "cronjobs", CronJob.class, "/spec/jobTemplate/spec/template",
            o -> {
                CronJob c = (CronJob) o;
                return c.getSpec() == null || c.getSpec().getJobTemplate() == null
                        || c.getSpec().getJobTemplate().getSpec() == null ? null
                        : c.getSpec().getJobTemplate().getSpec().getTemplate();
            }),
    JOB("Job", "jobs", Job.class, "/spec/template",
            o -> ((Job) o).getSpec() == null ? null : ((Job) o).getSpec().getTemplate()),
    DAEMONSET("DaemonSet", "daemonSets", DaemonSet.class, "/spec/template",
            o -> ((DaemonSet) o).getSpec() == null ? null : ((DaemonSet) o).getSpec().getTemplate()),
    STATEFULSET("StatefulSet", "statefulSets", StatefulSet.class, "/spec/template",
            o -> ((StatefulSet) o).getSpec() == null ? null : ((StatefulSet) o).getSpec().getTemplate()),
    /** Argo Rollouts, read as generic resources: no Argo client library is needed. */
    ROLLOUT("Rollout", "Rollouts", GenericKubernetesResource.class, "/spec/template", WorkloadKind::rolloutTemplate);

    public static final String ROLLOUT_API_VERSION = "argoproj.io/v1alpha1";
    /** Named explicitly: discovery would fail when the CRD is missing, and that case must only warn. */
    private static final ResourceDefinitionContext ROLLOUTS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Rollout").withPlural("rollouts")
            .withNamespaced(true).build();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final String kindName;
    private final String listName;
    private final Class<? extends HasMetadata> type;
    private final String templatePath;
    private final Function<HasMetadata, PodTemplateSpec> template;

    WorkloadKind(String kindName, String listName, Class<? extends HasMetadata> type, String templatePath,
                 Function<HasMetadata, PodTemplateSpec> template) {
        this.kindName = kindName;
        this.listName = listName;
        this.type = type;
        this.templatePath = templatePath;
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

    /** JSON-pointer to the pod template inside the object. */
    public String templatePath() {
        return templatePath;
    }

    /** The pod template of an object of this kind, or null if it has none. */
    public PodTemplateSpec podTemplate(HasMetadata workload) {
        return template.apply(workload);
    }

    /** The client operation for this kind, typed for code that serves every kind alike. */
    @SuppressWarnings("unchecked")
    public MixedOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>> operation(KubernetesClient client) {
        if (this == ROLLOUT) {
            return (MixedOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>>)
                    (MixedOperation<?, ?, ?>) client.genericKubernetesResources(ROLLOUTS);
        }
        return (MixedOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>>)
                (MixedOperation<?, ?, ?>) client.resources((Class<HasMetadata>) type);
    }

    /**
     * An empty object of this kind carrying only its name. Writes go through {@code resource(stub)} because
     * {@code withName(name).patch(...)} makes the client GET the object first.
     */
    public HasMetadata stub(String namespace, String name) {
        Map<String, Object> metadata = Map.of("name", name, "namespace", namespace);
        String apiVersion = switch (this) {
            case DEPLOYMENT, DAEMONSET, STATEFULSET -> "apps/v1";
            case CRONJOB, JOB -> "batch/v1";
            case ROLLOUT -> ROLLOUT_API_VERSION;
        };
        return convert(Map.of("apiVersion", apiVersion, "kind", kindName, "metadata", metadata));
    }

    /** Converts a typed object into this kind's model class (e.g. after applying a JSON Patch to a tree). */
    public HasMetadata convert(Object tree) {
        return SERIALIZATION.convertValue(tree, type);
    }

    /** True for a DaemonSet or StatefulSet whose pods restart only when deleted, so a reload does not roll them. */
    public static boolean usesOnDelete(HasMetadata workload) {
        if (workload instanceof DaemonSet d && d.getSpec() != null && d.getSpec().getUpdateStrategy() != null) {
            return "OnDelete".equals(d.getSpec().getUpdateStrategy().getType());
        }
        if (workload instanceof StatefulSet s && s.getSpec() != null && s.getSpec().getUpdateStrategy() != null) {
            return "OnDelete".equals(s.getSpec().getUpdateStrategy().getType());
        }
        return false;
    }

    public static WorkloadKind of(HasMetadata workload) {
        if (workload instanceof GenericKubernetesResource g) {
            if ("Rollout".equals(g.getKind())) {
                return ROLLOUT;
            }
            throw new IllegalArgumentException("not a supported workload: " + g.getKind());
        }
        for (WorkloadKind k : values()) {
            if (k.type.isInstance(workload)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not a supported workload: " + workload.getKind());
    }

    /** The {@code spec.workloadRef} of a Rollout, or null when it has its own template. */
    public static Map<String, Object> rolloutWorkloadRef(HasMetadata rollout) {
        Object spec = ((GenericKubernetesResource) rollout).getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> m && m.get("workloadRef") instanceof Map<?, ?> ref) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) ref;
            return typed;
        }
        return null;
    }

    private static PodTemplateSpec rolloutTemplate(HasMetadata o) {
        Object spec = ((GenericKubernetesResource) o).getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> m && m.get("template") instanceof Map<?, ?> t) {
            return SERIALIZATION.convertValue(t, PodTemplateSpec.class);
        }
        return null;
    }
}
