package io.reloader.watch;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.hash.SourceHasher;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** ServiceAccounts as a source: first sight is state, only a change of the selected annotations is a change. */
class ServiceAccountDetectionTest {
    private static final String ROLE = "eks.amazonaws.com/role-arn";
    private static final List<String> SELECTED = List.of(ROLE, "azure.workload.identity/client-id");
    private static final String DIGEST = "test/digest";
    private final List<SourceChange> emitted = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    private final ChangeDetector detector = new ChangeDetector(AnnotationKeys.defaults(), NamespaceFilter.none(),
            true, true, emitted::add, new IntakeListener() {
                @Override
                public void received(String eventType, String resource) {
                }

                @Override
                public void skipped(String reason) {
                    skipped.add(reason);
                }

                @Override
                public void processed(String resource, boolean queued) {
                }
            });

    private static ServiceAccount sa(Map<String, String> annotations, Map<String, String> labels) {
        return new ServiceAccountBuilder().withNewMetadata().withNamespace("ns").withName("app")
                .withResourceVersion("7").withAnnotations(annotations).withLabels(labels).endMetadata()
                .addNewSecret().withName("app-token").endSecret().addNewImagePullSecret().withName("pull").endImagePullSecret()
                .build();
    }

    private static String hash(Map<String, String> annotations) {
        return SourceHasher.reloaderCompatible().digestsOfAnnotations(annotations, SELECTED).hash();
    }

    private void added(Map<String, String> annotations) {
        var d = SourceHasher.reloaderCompatible().digestsOfAnnotations(annotations, SELECTED);
        detector.serviceAccountAdded(sa(annotations, Map.of()), d.hash(), d.keys());
    }

    private void updated(Map<String, String> annotations, Map<String, String> labels) {
        var d = SourceHasher.reloaderCompatible().digestsOfAnnotations(annotations, SELECTED);
        detector.serviceAccountUpdated(sa(annotations, labels), d.hash(), d.keys());
    }

    @Test
    void firstSightIsStateEvenWithReloadOnCreate() {
        added(Map.of(ROLE, "r1"));
        assertThat(emitted).isEmpty();
        assertThat(detector.state(new SourceRef(SourceType.SERVICEACCOUNT, "ns", "app")).hash())
                .isEqualTo(hash(Map.of(ROLE, "r1")));
    }

    @Test
    void aLabelOrAnUnselectedAnnotationIsNoChange() {
        added(Map.of(ROLE, "r1"));
        updated(Map.of(ROLE, "r1", "description", "new"), Map.of("team", "b"));
        assertThat(emitted).isEmpty();
        assertThat(skipped).contains("no_data_change");
    }

    @Test
    void aChangedRoleIsAnUpdateNamingTheAnnotation() {
        added(Map.of(ROLE, "r1"));
        updated(Map.of(ROLE, "r2"), Map.of());
        assertThat(emitted).singleElement().satisfies(c -> {
            assertThat(c.ref()).isEqualTo(new SourceRef(SourceType.SERVICEACCOUNT, "ns", "app"));
            assertThat(c.type()).isEqualTo(ChangeType.UPDATED);
            assertThat(c.hash()).isEqualTo(hash(Map.of(ROLE, "r2")));
            assertThat(c.before().hash()).isEqualTo(hash(Map.of(ROLE, "r1")));
            assertThat(c.cause().keys()).containsExactly(ROLE);
            assertThat(c.ignored()).isFalse();
        });
    }

    @Test
    void addedAndRemovedAnnotationsAreChanges() {
        added(Map.of());
        updated(Map.of(ROLE, "r1"), Map.of());
        updated(Map.of(), Map.of());
        assertThat(emitted).extracting(SourceChange::hash).containsExactly(hash(Map.of(ROLE, "r1")), SourceHasher.sha1Hex(""));
    }

    @Test
    void seenAgainAfterARelistWithOtherAnnotationsIsAnUpdate() {
        added(Map.of(ROLE, "r1"));
        added(Map.of(ROLE, "r1"));
        assertThat(emitted).isEmpty();
        added(Map.of(ROLE, "r2"));
        assertThat(emitted).singleElement().extracting(SourceChange::type).isEqualTo(ChangeType.UPDATED);
    }

    @Test
    void aDeleteRollsNothingEvenWithReloadOnDelete() {
        added(Map.of(ROLE, "r1"));
        detector.serviceAccountDeleted(sa(Map.of(ROLE, "r1"), Map.of()));
        assertThat(emitted).isEmpty();
        assertThat(detector.state(new SourceRef(SourceType.SERVICEACCOUNT, "ns", "app"))).isNull();
    }

    @Test
    void theStoreKeepsOnlyTheSelectedAnnotationsOnTheEventAndNothingButTheVersionItself() {
        SourceItemStore<ServiceAccount> store = new SourceItemStore<>(new SourceItemStore.Kind<>(
                s -> SourceHasher.reloaderCompatible().digestsOfAnnotations(s.getMetadata().getAnnotations(), SELECTED),
                (s, d) -> {
                    s.setSecrets(null);
                    s.setImagePullSecrets(null);
                    s.setAdditionalProperty(DIGEST, d);
                }, s -> (SourceItemStore.Digest) s.getAdditionalProperties().get(DIGEST), ServiceAccount::new),
                Set.copyOf(SELECTED), false);
        ServiceAccount sa = sa(Map.of(ROLE, "r1", "kubectl.kubernetes.io/last-applied-configuration", "{big}",
                "description", "x"), Map.of("team", "a"));
        store.put("ns/app", sa);
        assertThat(store.digestOf(sa).hash()).isEqualTo(hash(Map.of(ROLE, "r1")));
        assertThat(sa.getMetadata().getAnnotations()).containsOnlyKeys(ROLE);
        assertThat(sa.getSecrets()).isNullOrEmpty();
        assertThat(sa.getImagePullSecrets()).isNullOrEmpty();
        ServiceAccount kept = store.get("ns/app");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(kept.getMetadata().getLabels()).isNullOrEmpty();
    }
}
