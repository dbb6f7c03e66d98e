package io.reloader.it;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.model.WorkloadKind;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builders for the workload kinds, all with the same pod template shape. */
final class Workloads {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private Workloads() {
    }

    /** A pod spec with container "app" taking envFrom from the named ConfigMaps (and no Secret). */
    static PodSpec envFromConfigMaps(String... configMaps) {
        ContainerBuilder c = new ContainerBuilder().withName("app").withImage("nginx");
        for (String cm : configMaps) {
            c.addNewEnvFrom().withNewConfigMapRef().withName(cm).endConfigMapRef().endEnvFrom();
        }
        return new PodSpecBuilder().withContainers(c.build()).build();
    }

    static PodSpec envFromSecret(String secret) {
        return new PodSpecBuilder().withContainers(new ContainerBuilder().withName("app").withImage("nginx")
                .addNewEnvFrom().withNewSecretRef().withName(secret).endSecretRef().endEnvFrom().build()).build();
    }

    static HasMetadata workload(WorkloadKind kind, String ns, String name, Map<String, String> annotations,
                                PodSpec spec) {
        return workload(kind, ns, name, annotations, Map.of(), spec);
    }

    static HasMetadata workload(WorkloadKind kind, String ns, String name, Map<String, String> annotations,
                                Map<String, String> templateAnnotations, PodSpec spec) {
        ObjectMeta meta = new ObjectMetaBuilder().withName(name).withNamespace(ns).withAnnotations(annotations).build();
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", name)
                .withAnnotations(templateAnnotations).endMetadata().withSpec(spec).build();
        return switch (kind.name()) {
            case "DEPLOYMENT" -> new DeploymentBuilder().withMetadata(meta).withNewSpec().withNewSelector()
                    .addToMatchLabels("app", name).endSelector().withTemplate(template).endSpec().build();
            case "DAEMONSET" -> new DaemonSetBuilder().withMetadata(meta).withNewSpec().withNewSelector()
                    .addToMatchLabels("app", name).endSelector().withTemplate(template).endSpec().build();
            case "STATEFULSET" -> new StatefulSetBuilder().withMetadata(meta).withNewSpec().withNewSelector()
                    .addToMatchLabels("app", name).endSelector().withTemplate(template).endSpec().build();
            case "CRONJOB" -> new CronJobBuilder().withMetadata(meta).withNewSpec().withSchedule("*/5 * * * *")
                    .withNewJobTemplate().withNewMetadata().addToLabels("team", "a")
                    .addToAnnotations("from-template", "yes").endMetadata()
                    .withNewSpec().withTemplate(template).endSpec().endJobTemplate().endSpec().build();
            case "JOB" -> new JobBuilder().withMetadata(meta).withNewSpec().withTemplate(template).endSpec().build();
            case "ROLLOUT" -> rollout(meta, template);
            default -> throw new IllegalArgumentException("no test builder for " + kind);
        };
    }

    static final CustomResourceDefinitionContext ROLLOUTS = new CustomResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withPlural("rollouts").withKind("Rollout")
            .withScope("Namespaced").build();

    static GenericKubernetesResource rollout(ObjectMeta meta, PodTemplateSpec template) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("argoproj.io/v1alpha1");
        r.setKind("Rollout");
        r.setMetadata(meta);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", 1);
        if (template != null) {
            spec.put("template", SERIALIZATION.convertValue(template, Map.class));
        }
        r.setAdditionalProperty("spec", spec);
        return r;
    }
}
