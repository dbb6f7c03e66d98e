package io.reloader.strategy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Edge cases of the JSON Patch built from the strategies' edits, checked by applying it. */
class TemplatePatchTest {

    private static DeploymentBuilder bare() {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("ns").withResourceVersion("3")
                .endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app")
                .endContainer().endSpec().endTemplate().endSpec();
    }

    private static Deployment apply(Deployment d, TemplatePatch p) {
        return (Deployment) TemplatePatch.applyTo(d, p.jsonPatch());
    }

    private static TemplatePatch patch(Deployment d) {
        return new TemplatePatch(d, d.getSpec().getTemplate(), "/spec/template");
    }

    @Test
    void noAnnotationMapsAndNoTemplateMetadataAtAll() {
        Deployment d = bare().build();
        d.getMetadata().setAnnotations(null);
        d.getSpec().getTemplate().setMetadata(null);
        TemplatePatch p = patch(d);
        p.setMetadataAnnotation("reloader.stakater.com/applied-hashes", "{}");
        p.setTemplateAnnotation("reloader.stakater.com/last-reloaded-from", "{\"a\":1}");

        Deployment out = apply(d, p);
        assertThat(out.getMetadata().getAnnotations()).containsExactly(
                Map.entry("reloader.stakater.com/applied-hashes", "{}"));
        assertThat(out.getSpec().getTemplate().getMetadata().getAnnotations()).containsExactly(
                Map.entry("reloader.stakater.com/last-reloaded-from", "{\"a\":1}"));
        assertThat(p.jsonPatch().get(0)).isEqualTo(JsonPatchOp.of("replace", "/metadata/resourceVersion", "3"));
    }

    @Test
    void existingAnnotationsAreKeptAndKeysWithSlashesAreEscaped() {
        Deployment d = bare().editMetadata().addToAnnotations("owner", "team-a").endMetadata().build();
        TemplatePatch p = patch(d);
        p.setMetadataAnnotation("a/b~c", "v");
        assertThat(p.jsonPatch()).contains(JsonPatchOp.of("add", "/metadata/annotations/a~1b~0c", "v"));
        assertThat(apply(d, p).getMetadata().getAnnotations()).containsEntry("owner", "team-a").containsEntry("a/b~c", "v");
    }

    @Test
    void removeReplaceAndAppendInOneContainer() {
        Deployment d = bare().editSpec().editTemplate().editSpec().editFirstContainer()
                .addNewEnv().withName("STAKATER_OLD_CONFIGMAP").withValue("h0").endEnv()
                .addNewEnv().withName("KEEP").withValue("x").endEnv()
                .addNewEnv().withName("STAKATER_CFG_CONFIGMAP").withValue("h1").endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
        TemplatePatch p = patch(d);
        p.removeEnv("app", "STAKATER_OLD_CONFIGMAP");
        p.setEnv("app", "STAKATER_CFG_CONFIGMAP", "h2");
        p.setEnv("app", "STAKATER_NEW_SECRET", "h3");
        assertThat(p.changesTemplate()).isTrue();
        assertThat(p.envValue("app", "STAKATER_OLD_CONFIGMAP")).isEmpty();
        assertThat(p.envValue("app", "STAKATER_CFG_CONFIGMAP")).contains("h2");

        assertThat(apply(d, p).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("KEEP", "x"),
                        org.assertj.core.groups.Tuple.tuple("STAKATER_CFG_CONFIGMAP", "h2"),
                        org.assertj.core.groups.Tuple.tuple("STAKATER_NEW_SECRET", "h3"));
    }

    @Test
    void removingTheOnlyVariableAndAppendingAnother() {
        Deployment d = bare().editSpec().editTemplate().editSpec().editFirstContainer()
                .addNewEnv().withName("STAKATER_OLD_CONFIGMAP").withValue("h0").endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
        TemplatePatch p = patch(d);
        p.removeEnv("app", "STAKATER_OLD_CONFIGMAP");
        p.setEnv("app", "STAKATER_NEW_CONFIGMAP", "h1");
        assertThat(apply(d, p).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName).containsExactly("STAKATER_NEW_CONFIGMAP");
    }

    @Test
    void aContainerWithoutEnvGetsTheWholeList() {
        Deployment d = bare().build();
        TemplatePatch p = patch(d);
        p.setEnv("app", "STAKATER_CFG_CONFIGMAP", "h1");
        assertThat(p.jsonPatch()).contains(JsonPatchOp.of("add", "/spec/template/spec/containers/0/env",
                List.of(Map.of("name", "STAKATER_CFG_CONFIGMAP", "value", "h1"))));
        assertThat(p.hasContainer("app")).isTrue();
        assertThat(p.hasContainer("missing")).isFalse();
    }

    @Test
    void onlyMetadataEditsDoNotChangeTheTemplate() {
        TemplatePatch p = patch(bare().build());
        p.setMetadataAnnotation("k", "v");
        assertThat(p.changesTemplate()).isFalse();
    }
}
