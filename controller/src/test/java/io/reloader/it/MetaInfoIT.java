package io.reloader.it;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reloader.report.MetaInfo;
import io.reloader.report.ReloaderMetrics;
import org.junit.jupiter.api.Test;

import io.reloader.config.SelfOptions;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetaInfoIT extends HarnessIT {

    @Test
    void writesReloadersMetaInfoConfigMapAndUpdatesItOnTheNextStart() {
        SelfOptions env = io.reloader.cli.ControllerFlags.parse(Map.of("RELOADER_NAMESPACE", "reloader",
                "RELOADER_DEPLOYMENT_NAME", "reloader-reloader")).self();
        try (ReloaderMetrics metrics = new ReloaderMetrics();
             KubernetesClient controllerClient = ControllerHarness.controllerClient(h.server, "Reloader", metrics, Map.of())) {
            MetaInfo.write(controllerClient, env, Map.of("reloadStrategy", "env-vars"));
            MetaInfo.write(controllerClient, env, Map.of("reloadStrategy", "annotations"));
        }
        ConfigMap cm = h.client.configMaps().inNamespace("reloader").withName("reloader-meta-info").get();
        assertThat(cm.getMetadata().getLabels()).containsEntry("reloader.stakater.com/meta-info", "reloader");
        assertThat(cm.getData()).containsOnlyKeys("buildInfo", "reloaderOptions", "deploymentInfo");
        assertThat(Serialization.unmarshal(cm.getData().get("reloaderOptions"), Map.class))
                .containsEntry("reloadStrategy", "annotations");
        assertThat(Serialization.unmarshal(cm.getData().get("deploymentInfo"), Map.class))
                .containsEntry("name", "reloader-reloader").containsEntry("namespace", "reloader");
        assertThat(Serialization.unmarshal(cm.getData().get("buildInfo"), Map.class))
                .containsKeys("goVersion", "releaseVersion", "commitHash", "commitTime", "edition");
        assertThat(h.controllerRequests()).filteredOn(r -> !r.getMethod().equals("GET"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.getPath()).contains("fieldManager=Reloader"));
    }

    @Test
    void withoutReloaderNamespaceItWarnsAndWritesNothing() {
        MetaInfo.write(h.client, io.reloader.cli.ControllerFlags.parse(Map.of()).self(), Map.of());
        assertThat(h.logLines()).anyMatch(l -> l.contains("RELOADER_NAMESPACE is not set, skipping meta info configmap creation"));
        assertThat(h.requests()).isEmpty();
    }
}
