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
    /** As the controller's clients build it: JSON read from and written to bytes directly. */
    private final CompactItemStore<Deployment> bytesStore = new CompactItemStore<>(Deployment.class,
            new BytesSerialization(tools.jackson.databind.json.JsonMapper.builder().build()));

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

    @Test
    void theBytesPathKeepsAndDropsTheSameAsTheStringPath() {
        Deployment d = deployment("5");
        store.put(store.getKey(d), d);
        bytesStore.put(bytesStore.getKey(d), d);

        assertThat(bytesStore.get("ns/web")).isEqualTo(store.get("ns/web"));
        assertThat(bytesStore.get("ns/web").getMetadata().getAnnotations()).containsOnlyKeys("reloader.stakater.com/auto");
        assertThat(bytesStore.get("ns/web").getMetadata().getManagedFields()).isNullOrEmpty();
    }

    @Test
    void unknownFieldsSurviveTheBytesPathAsFabric8sOwnReadKeepsThem() {
        Deployment d = deployment("5");
        d.getSpec().setAdditionalProperty("futureField", java.util.Map.of("a", 1));
        bytesStore.put("ns/web", d);

        assertThat(bytesStore.get("ns/web").getSpec().getAdditionalProperties()).containsEntry("futureField",
                java.util.Map.of("a", 1));
    }

    @Test
    void theParsedViewParsesEachObjectWhenReachedAndSeesLaterPuts() {
        bytesStore.put("ns/a", deployment("1"));
        bytesStore.put("ns/b", deployment("2"));
        java.util.Collection<Deployment> view = bytesStore.parsedView();

        assertThat(view).hasSize(2);
        java.util.Iterator<Deployment> first = view.iterator();
        Deployment one = first.next();
        Deployment again = view.iterator().next();
        assertThat(again).isEqualTo(one).isNotSameAs(one); // parsed anew, not held
        bytesStore.put("ns/c", deployment("3"));
        assertThat(view).extracting(x -> x.getMetadata().getResourceVersion()).containsExactlyInAnyOrder("1", "2", "3");
    }
}
