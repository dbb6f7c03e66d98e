package io.reloader.kube;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompactItemStoreTest {
    private final CompactItemStore<Deployment> store = new CompactItemStore<>(Deployment.class,
            new KubernetesSerialization());

    private static Deployment deployment(String rv) {
        return new DeploymentBuilder().withNewMetadata().withNamespace("ns").withName("web").withResourceVersion(rv)
                .addToAnnotations("reloader.stakater.com/auto", "true")
                .addToAnnotations(CompactItemStore.LAST_APPLIED, "{\"big\":\"copy of the object\"}")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").build()).endMetadata()
                .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec().addNewContainer().withName("app")
                .withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build();
    }

    @Test
    void keepsWhatDecisionsAndWritesReadAndDropsManagedFieldsAndLastApplied() {
        Deployment d = deployment("5");
        store.put(store.getKey(d), d);

        Deployment kept = store.get("ns/web");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("5");
        assertThat(kept.getMetadata().getAnnotations()).containsOnlyKeys("reloader.stakater.com/auto");
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getSpec().getReplicas()).isEqualTo(2);
        assertThat(kept.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx");
        // The object the handlers receive is left whole.
        assertThat(d.getMetadata().getAnnotations()).containsKey(CompactItemStore.LAST_APPLIED);
        assertThat(d.getMetadata().getManagedFields()).hasSize(1);
    }

    @Test
    void putReturnsThePreviousObjectAndRemoveForgetsIt() {
        store.put("ns/web", deployment("5"));
        assertThat(store.put("ns/web", deployment("6")).getMetadata().getResourceVersion()).isEqualTo("5");
        assertThat(store.values()).extracting(x -> x.getMetadata().getResourceVersion()).containsExactly("6");
        assertThat(store.remove("ns/web").getMetadata().getResourceVersion()).isEqualTo("6");
        assertThat(store.get("ns/web")).isNull();
        assertThat(store.size()).isZero();
    }
}
