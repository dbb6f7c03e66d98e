package io.reloader.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.reloader.hash.SourceHasher;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Secrets Store CSI driver integration: a PodStatus version change reloads workloads mounting the class. */
class CsiIT extends HarnessIT {
    private static final String NS = "vault";
    private static final String VAR = "STAKATER_VAULT_DB_SECRETPROVIDERCLASS";

    private void installCrds() {
        h.server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("secrets-store.csi.x-k8s.io")
                .withVersion("v1").withPlural("secretproviderclasspodstatuses").withKind("SecretProviderClassPodStatus")
                .withScope("Namespaced").build());
        h.server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("secrets-store.csi.x-k8s.io")
                .withVersion("v1").withPlural("secretproviderclasses").withKind("SecretProviderClass")
                .withScope("Namespaced").build());
    }

    private static PodSpec csiSpec() {
        return new PodSpecBuilder().addNewVolume().withName("secrets").withNewCsi().withDriver("secrets-store.csi.k8s.io")
                .addToVolumeAttributes("secretProviderClass", "vault-db").endCsi().endVolume()
                .addNewContainer().withName("app").withImage("i").addNewVolumeMount().withName("secrets")
                .withMountPath("/mnt/secrets").endVolumeMount().endContainer().build();
    }

    private GenericKubernetesResource podStatus(String name, String version) {
        GenericKubernetesResource ps = new GenericKubernetesResource();
        ps.setApiVersion("secrets-store.csi.x-k8s.io/v1");
        ps.setKind("SecretProviderClassPodStatus");
        ps.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("secretProviderClassName", "vault-db");
        status.put("podName", "web-1");
        if (version != null) {
            status.put("objects", List.of(Map.of("id", "secret/db", "version", version)));
        }
        ps.setAdditionalProperty("status", status);
        return ps;
    }

    @Test
    void aNewObjectVersionReloadsWorkloadsMountingTheClass() {
        installCrds();
        GenericKubernetesResource spc = new GenericKubernetesResource();
        spc.setApiVersion("secrets-store.csi.x-k8s.io/v1");
        spc.setKind("SecretProviderClass");
        spc.setMetadata(new ObjectMetaBuilder().withName("vault-db").withNamespace(NS).build());
        h.create(spc);
        h.create(podStatus("web-1-vault-db", "v1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web",
                Map.of("secretproviderclass.reloader.stakater.com/auto", "true"), csiSpec()));
        h.start("--enable-csi-integration");
        assertThat(h.logLines()).anyMatch(l -> l.contains("CSI provider is installed"));
        h.client.resource(podStatus("web-1-vault-db", "v2")).update();
        String expected = SourceHasher.podStatus("vault-db", List.of(Map.of("id", "secret/db", "version", "v2")));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "web", "app", VAR)).isEqualTo(expected));
        h.awaitIdle();
        assertThat(h.events(NS)).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("Reloaded");
            assertThat(e.getSource().getComponent()).isEqualTo("reloader-secretproviderclasspodstatuses");
            assertThat(e.getMessage()).contains("'vault-db' of type 'SECRETPROVIDERCLASS'");
        });
    }

    @Test
    void withoutTheCsiDriverItSaysSoAndKeepsWorking() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", Map.of("reloader.stakater.com/auto", "true"),
                Workloads.envFromConfigMaps("cfg")));
        h.server.expect().get().withPath("/apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasspodstatuses?limit=1")
                .andReturn(404, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(404).build()).always();
        h.start("--enable-csi-integration");
        assertThat(h.logLines()).anyMatch(l -> l.contains("CSI provider is not installed"));
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(ControllerHarness.hashOf(Map.of("k", "v2"))));
    }
}
