package io.reloader.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.reloader.cli.ControllerFlags;
import io.reloader.controller.ReloaderController;
import io.reloader.model.WorkloadKind;
import io.reloader.report.ReloaderMetrics;
import io.reloader.write.FieldManagerInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Opt-in, against a real cluster: set {@code RELOADER_E2E_KUBECONFIG} to a kubeconfig file. Covers what the
 * in-process server cannot: real JSON Patch preconditions and managedFields ownership by the {@code Reloader}
 * field manager. Creates and deletes its own namespace.
 */
@EnabledIfEnvironmentVariable(named = "RELOADER_E2E_KUBECONFIG", matches = ".+")
class ClusterE2E {

    @Test
    void reloadsOnARealClusterAndOwnsOnlyWhatItWrote() throws Exception {
        String kubeconfig = Files.readString(Path.of(System.getenv("RELOADER_E2E_KUBECONFIG")));
        String ns = "reloader-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("fieldManager",
                        new FieldManagerInterceptor("Reloader"))).build()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
            try (ReloaderMetrics metrics = new ReloaderMetrics();
                 ReloaderController controller = new ReloaderController(client,
                         ControllerFlags.parse(Map.of(), "--namespaces=" + ns, "--coalesce-window=0s"), metrics)) {
                client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("app-config").endMetadata().addToData("k", "v").build()).create();
                client.resource(workload(WorkloadKind.DEPLOYMENT, ns, "web", Map.of("reloader.stakater.com/auto", "true"),
                        envFromConfigMaps("app-config"))).create();
                controller.start(Duration.ofMinutes(1));
                client.configMaps().inNamespace(ns).withName("app-config")
                        .edit(c -> new ConfigMapBuilder(c).addToData("k", "v2").build());
                String hash = hashOf(Map.of("k", "v2"));
                await().atMost(60, TimeUnit.SECONDS).until(() -> {
                    Deployment d = client.apps().deployments().inNamespace(ns).withName("web").get();
                    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                            .anyMatch(e -> e.getName().equals("STAKATER_APP_CONFIG_CONFIGMAP") && hash.equals(e.getValue()));
                });
                Deployment d = client.apps().deployments().inNamespace(ns).withName("web").get();
                assertThat(d.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                        .contains("Reloader");
            } finally {
                client.namespaces().withName(ns).delete();
            }
        }
    }
}
