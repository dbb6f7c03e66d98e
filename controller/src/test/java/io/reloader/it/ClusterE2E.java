package io.reloader.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.cli.ControllerFlags;
import io.reloader.controller.ReloaderController;
import io.reloader.report.ReloaderMetrics;
import io.reloader.write.FieldManagerInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Opt-in, against a real cluster: set {@code RELOADER_E2E_KUBECONFIG} to a kubeconfig file. Does what Flux's
 * kustomize-controller does (server-side apply of the same manifest, field manager {@code kustomize-controller},
 * forced) around a reload, and checks what the in-process server cannot: who owns the reload marker in
 * {@code managedFields} and whether it survives the next apply. Creates and deletes its own namespace.
 * What the server does is recorded in docs/gitops.md.
 */
@EnabledIfEnvironmentVariable(named = "RELOADER_E2E_KUBECONFIG", matches = ".+")
class ClusterE2E {
    private static final String GITOPS_MANAGER = "kustomize-controller";
    private static final String MARKER = "reloader.stakater.com/last-reloaded-from";
    private static final String ENV_MARKER = "STAKATER_APP_CONFIG_CONFIGMAP";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private KubernetesClient client;
    private String ns;

    @BeforeEach
    void namespace() throws Exception {
        String kubeconfig = Files.readString(Path.of(System.getenv("RELOADER_E2E_KUBECONFIG")));
        ns = "reloader-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        // The controller's own client: every write it sends names our field manager.
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("fieldManager",
                        new FieldManagerInterceptor("Reloader"))).build();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
    }

    @AfterEach
    void cleanUp() {
        client.namespaces().withName(ns).delete();
        client.close();
    }

    @Test
    void annotationsMarkerSurvivesFluxStyleServerSideApplyAndIsOwnedByReloader() throws Exception {
        String hash = reloadBetweenTwoApplies("--reload-strategy=annotations");
        Deployment d = deployment();
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .as("marker after the second server-side apply").containsKey(MARKER);
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations().get(MARKER)).contains(hash);
        assertThat(ownerOf(d, "f:" + MARKER)).as("manager owning the marker").contains("Reloader");
        assertThat(ownerOf(d, "f:" + MARKER)).doesNotContain(GITOPS_MANAGER);
    }

    @Test
    void envVarMarkerIsKeptByTheNextServerSideApply() throws Exception {
        String hash = reloadBetweenTwoApplies("--reload-strategy=env-vars");
        // Server-side apply removes only fields the applier owned before and no longer declares; the env entry
        // was added by our field manager (an Update), so the next forced apply keeps it (docs/gitops.md).
        List<EnvVar> env = deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env).filteredOn(e -> e.getName().equals(ENV_MARKER)).extracting(EnvVar::getValue)
                .containsExactly(hash);
        assertThat(ownerOf(deployment(), ENV_MARKER)).contains("Reloader");
    }

    /** Applies the manifest, reloads through a ConfigMap change, applies the same manifest again. */
    private String reloadBetweenTwoApplies(String strategyFlag) throws Exception {
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("app-config").endMetadata().addToData("k", "v").build()).create();
        applyAsFlux();
        try (ReloaderMetrics metrics = new ReloaderMetrics();
             ReloaderController controller = new ReloaderController(client,
                     ControllerFlags.parse(Map.of(), "--namespaces=" + ns, "--coalesce-window=0s", strategyFlag),
                     metrics)) {
            controller.start(Duration.ofMinutes(1));
            client.configMaps().inNamespace(ns).withName("app-config")
                    .edit(c -> new ConfigMapBuilder(c).addToData("k", "v2").build());
            String hash = hashOf(Map.of("k", "v2"));
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(deployment().getSpec().getTemplate().toString()).contains(hash));
            applyAsFlux();
            return hash;
        }
    }

    /** The manifest as it is in Git: no reload marker, applied as Flux's kustomize-controller applies it. */
    private void applyAsFlux() {
        Deployment manifest = new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace(ns)
                .addToAnnotations("reloader.stakater.com/auto", "true").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.k8s.io/pause:3.9")
                .addNewEnv().withName("GREETING").withValue("hi").endEnv()
                .addNewEnvFrom().withNewConfigMapRef().withName("app-config").endConfigMapRef().endEnvFrom()
                .endContainer().endSpec().endTemplate().endSpec().build();
        client.resource(manifest).fieldManager(GITOPS_MANAGER).forceConflicts().serverSideApply();
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace(ns).withName("web").get();
    }

    /** The managers whose fieldsV1 mention the given field key anywhere. */
    private static List<String> ownerOf(Deployment d, String fieldKey) {
        return d.getMetadata().getManagedFields().stream()
                .filter(m -> m.getFieldsV1() != null && JSON.asJson(m.getFieldsV1()).contains(fieldKey))
                .map(ManagedFieldsEntry::getManager).toList();
    }
}
