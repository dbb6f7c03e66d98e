package io.reloader.model;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.List;

/**
 * A kind of workload: what it is called and where its pod template lives. Plain data; how a kind is read, reloaded
 * and checked lives in its adapter (package {@code workload}), where its template is found in {@code spec}. The
 * constants below are the built-in kinds; only their adapters and the registries use them (ArchitectureTest), and
 * a new kind's adapter defines its own.
 *
 * @param name         a constant-style name (DEPLOYMENT), used in keys and logs of this project
 * @param group        API group ("" for the core group)
 * @param version      API version
 * @param kind         the Kubernetes kind, as printed in Reloader's log lines and Events
 * @param plural       the resource name in URLs
 * @param listName     the word Reloader uses in {@code Failed to list <listName>}
 * @param templatePath JSON pointer to the pod template inside an object of this kind
 * @param type         the fabric8 model class objects of this kind are read as
 */
public record WorkloadKind(String name, String group, String version, String kind, String plural, String listName,
                           String templatePath, Class<? extends HasMetadata> type) {

    public static final WorkloadKind DEPLOYMENT = new WorkloadKind("DEPLOYMENT", "apps", "v1", "Deployment",
            "deployments", "deployments", "/spec/template", Deployment.class);
    public static final WorkloadKind CRONJOB = new WorkloadKind("CRONJOB", "batch", "v1", "CronJob", "cronjobs",
            "cronjobs", "/spec/jobTemplate/spec/template", CronJob.class);
    public static final WorkloadKind JOB = new WorkloadKind("JOB", "batch", "v1", "Job", "jobs", "jobs",
            "/spec/template", Job.class);
    public static final WorkloadKind DAEMONSET = new WorkloadKind("DAEMONSET", "apps", "v1", "DaemonSet",
            "daemonsets", "daemonSets", "/spec/template", DaemonSet.class);
    public static final WorkloadKind STATEFULSET = new WorkloadKind("STATEFULSET", "apps", "v1", "StatefulSet",
            "statefulsets", "statefulSets", "/spec/template", StatefulSet.class);
    /** Argo Rollouts, read as generic resources: no Argo client library is needed. */
    public static final WorkloadKind ROLLOUT = new WorkloadKind("ROLLOUT", "argoproj.io", "v1alpha1", "Rollout",
            "rollouts", "Rollouts", "/spec/template", GenericKubernetesResource.class);

    /** The built-in kinds, in Reloader's fixed processing order. */
    public static List<WorkloadKind> values() {
        return List.of(DEPLOYMENT, CRONJOB, JOB, DAEMONSET, STATEFULSET, ROLLOUT);
    }

    /** The Kubernetes kind, as printed in Reloader's log lines and Events. */
    public String kindName() {
        return kind;
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** True for kinds read as generic resources (no fabric8 model class). */
    public boolean generic() {
        return type == GenericKubernetesResource.class;
    }

    @Override
    public String toString() {
        return name;
    }
}
