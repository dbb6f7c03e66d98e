package io.reloader.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.config.AnnotationKeys;
import io.reloader.strategy.ReloadedFromMarker;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Workloads that are custom resources with a pod template (--custom-workload-types): an OpenKruise-like CloneSet
 * (template at spec.template) and a Slurm-like NodeSet (template at spec.podTemplate), registered as CRDs on the
 * in-process API server, reload like Deployments.
 */
class CustomWorkloadsIT extends HarnessIT {
    private static final String NS = "shop";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final CustomResourceDefinitionContext CLONESETS = new CustomResourceDefinitionContext.Builder()
            .withGroup("apps.kruise.io").withVersion("v1alpha1").withPlural("clonesets").withKind("CloneSet")
            .withScope("Namespaced").build();
    private static final CustomResourceDefinitionContext NODESETS = new CustomResourceDefinitionContext.Builder()
            .withGroup("slinky.slurm.net").withVersion("v1alpha1").withPlural("nodesets").withKind("NodeSet")
            .withScope("Namespaced").build();
    private static final String FLAG = "--custom-workload-types=apps.kruise.io/v1alpha1/CloneSet,"
            + "slinky.slurm.net/v1alpha1/NodeSet:spec.podTemplate";

    private void create(CustomResourceDefinitionContext crd, String name, String templateField) {
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", name).endMetadata()
                .withSpec(envFromConfigMaps("cfg")).build();
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(crd.getGroup() + "/" + crd.getVersion());
        r.setKind(crd.getKind());
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS)
                .addToAnnotations("reloader.stakater.com/auto", "true").build());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", 2);
        spec.put(templateField, JSON.convertValue(template, Map.class));
        r.setAdditionalProperty("spec", spec);
        h.client.genericKubernetesResources(crd).inNamespace(NS).resource(r).create();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> template(CustomResourceDefinitionContext crd, String name, String templateField) {
        GenericKubernetesResource r = h.client.genericKubernetesResources(crd).inNamespace(NS).withName(name).get();
        return (Map<String, Object>) ((Map<String, Object>) r.getAdditionalProperties().get("spec")).get(templateField);
    }

    @SuppressWarnings("unchecked")
    private String env(CustomResourceDefinitionContext crd, String name, String templateField) {
        Map<String, Object> spec = (Map<String, Object>) template(crd, name, templateField).get("spec");
        List<Map<String, Object>> containers = (List<Map<String, Object>>) spec.get("containers");
        List<Map<String, Object>> env = (List<Map<String, Object>>) containers.get(0).get("env");
        return env == null ? null : env.stream().filter(e -> "STAKATER_CFG_CONFIGMAP".equals(e.get("name")))
                .map(e -> (String) e.get("value")).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private String marker(CustomResourceDefinitionContext crd, String name, String templateField) {
        Map<String, Object> metadata = (Map<String, Object>) template(crd, name, templateField).get("metadata");
        Map<String, String> annotations = metadata == null ? null : (Map<String, String>) metadata.get("annotations");
        String json = annotations == null ? null : annotations.get(AnnotationKeys.LAST_RELOADED_FROM);
        return json == null ? null : ReloadedFromMarker.parse(json).orElseThrow().hash();
    }

    @Test
    void twoCustomKindsReloadWithTheEnvVarsStrategy() {
        h.server.expectCustomResource(CLONESETS);
        h.server.expectCustomResource(NODESETS);
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        create(CLONESETS, "web", "template");
        create(NODESETS, "compute", "podTemplate");
        h.start(FLAG);
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        String hash = hashOf(Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(env(CLONESETS, "web", "template")).isEqualTo(hash);
            assertThat(env(NODESETS, "compute", "podTemplate")).isEqualTo(hash);
        });
        h.awaitIdle();
        assertThat(h.patchesTo("/clonesets/web")).isEqualTo(1);
        assertThat(h.patchesTo("/nodesets/compute")).isEqualTo(1);
        assertThat(h.logLines()).anyMatch(l -> l.contains("updated 'web' of type 'CloneSet' in namespace 'shop'"));
        assertThat(h.metrics().scrape()).contains("reloader_action_total{result=\"success\",workload_kind=\"CloneSet\"} 1.0")
                .contains("reloader_action_total{result=\"success\",workload_kind=\"NodeSet\"} 1.0");
        assertThat(h.events(NS)).anyMatch(e -> "Reloaded".equals(e.getReason())
                && "NodeSet".equals(e.getInvolvedObject().getKind()));
    }

    @Test
    void aCustomKindReloadsWithTheAnnotationsStrategyAndOnlyOnce() {
        h.server.expectCustomResource(CLONESETS);
        h.server.expectCustomResource(NODESETS);
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        create(CLONESETS, "web", "template");
        h.start(FLAG, "--reload-strategy=annotations");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(marker(CLONESETS, "web", "template")).isEqualTo(hashOf(Map.of("k", "v2"))));
        h.stopController();
        h.start(FLAG, "--reload-strategy=annotations"); // a restart rolls nothing
        h.updateConfigMap(NS, "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(marker(CLONESETS, "web", "template")).isEqualTo(hashOf(Map.of("k", "v3"))));
        h.awaitIdle();
        assertThat(h.patchesTo("/clonesets/web")).isEqualTo(2);
    }

    @Test
    void aKindTheClusterDoesNotServeIsAClearStartupError() {
        h.server.expectCustomResource(CLONESETS);
        assertThatThrownBy(() -> h.start(FLAG)).hasRootCauseMessage("--custom-workload-types: the cluster does not "
                + "serve NodeSet in slinky.slurm.net/v1alpha1 (is its CustomResourceDefinition installed, and may this "
                + "controller read it?)");
    }
}
