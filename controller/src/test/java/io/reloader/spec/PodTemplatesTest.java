package io.reloader.spec;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A template read in place is the workload's own object; a copy is equal to it and apart from it. */
class PodTemplatesTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private static PodTemplateSpec template() {
        return new PodTemplateSpecBuilder().withNewMetadata().addToAnnotations("a", "1").endMetadata()
                .withNewSpec().addNewContainer().withName("app").addNewEnv().withName("X").withValue("1").endEnv()
                .endContainer().endSpec().build();
    }

    @Test
    void typedKindsAreReadInPlaceAlongTheirTemplatePath() {
        PodTemplateSpec t = template();
        List<HasMetadata> workloads = List.of(
                new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec().withTemplate(t)
                        .endSpec().build(),
                new StatefulSetBuilder().withNewMetadata().withName("s").endMetadata().withNewSpec().withTemplate(t)
                        .endSpec().build(),
                new CronJobBuilder().withNewMetadata().withName("c").endMetadata().withNewSpec().withNewJobTemplate()
                        .withNewSpec().withTemplate(t).endSpec().endJobTemplate().endSpec().build());
        List<PodTemplateSpec> own = List.of(((Deployment) workloads.get(0)).getSpec().getTemplate(),
                ((StatefulSet) workloads.get(1)).getSpec().getTemplate(),
                ((CronJob) workloads.get(2)).getSpec().getJobTemplate().getSpec().getTemplate());
        for (int i = 0; i < workloads.size(); i++) {
            HasMetadata w = workloads.get(i);
            assertThat(PodTemplates.inPlace(w)).as(w.getKind()).isSameAs(own.get(i)).isEqualTo(t);
            PodTemplateSpec copy = PodTemplates.of(w);
            assertThat(copy).as(w.getKind()).isEqualTo(t).isNotSameAs(own.get(i));
            copy.getMetadata().getAnnotations().put("b", "2");
            assertThat(own.get(i).getMetadata().getAnnotations()).as("changing the copy leaves the workload")
                    .doesNotContainKey("b");
        }
    }

    @Test
    void aWorkloadWithoutTemplateHasNone() {
        HasMetadata noSpec = new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().build();
        HasMetadata noTemplate = new CronJobBuilder().withNewMetadata().withName("c").endMetadata().withNewSpec()
                .withSchedule("* * * * *").endSpec().build();
        for (HasMetadata w : List.of(noSpec, noTemplate)) {
            assertThat(PodTemplates.inPlace(w)).isNull();
            assertThat(PodTemplates.of(w)).isNull();
        }
    }

    @Test
    void aGenericResourceIsConvertedAsBefore() {
        GenericKubernetesResource rollout = JSON.unmarshal("{\"apiVersion\":\"" + WorkloadKind.ROLLOUT.apiVersion()
                + "\",\"kind\":\"Rollout\",\"metadata\":{\"name\":\"r\"},\"spec\":{\"template\":"
                + JSON.asJson(template()) + "}}", GenericKubernetesResource.class);
        assertThat(PodTemplates.inPlace(rollout)).isEqualTo(template());
        assertThat(PodTemplates.of(rollout)).isEqualTo(template());
        assertThat(PodTemplates.inPlace(JSON.unmarshal("{\"apiVersion\":\"" + WorkloadKind.ROLLOUT.apiVersion()
                + "\",\"kind\":\"Rollout\",\"metadata\":{\"name\":\"r\"},\"spec\":{}}", GenericKubernetesResource.class)))
                .isNull();
    }

    @Test
    void aPathThatLeavesTheTypedModelIsFollowedThroughTheTree() {
        // A path no getter follows (a property the model keeps among its additional properties).
        HasMetadata d = new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec()
                .withReplicas(2).endSpec().build();
        d.getMetadata().setAdditionalProperty("x", Map.of("template", JSON.convertValue(template(), Map.class)));
        assertThat(TypedPath.walk(d, "/metadata/x/template")).isSameAs(TypedPath.UNTYPED);
        assertThat(TypedPath.walk(d, "/spec/template")).isNull();
        assertThat(TypedPath.walk(d, "/spec/replicas")).as("not a template").isSameAs(TypedPath.UNTYPED);
    }
}
