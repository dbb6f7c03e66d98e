package io.reloader.watch;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.hash.SourceHasher;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cause a change carries to the reports: the changed keys (from the per-key digests before and after) and the
 * manager that wrote the data, taken from managedFields as the store takes the object in, before they are dropped.
 */
class ChangeCauseTest {
    private static final String DIGEST = "test/digest";
    private final List<SourceChange> emitted = new ArrayList<>();
    private final ChangeDetector detector = new ChangeDetector(AnnotationKeys.defaults(), NamespaceFilter.none(),
            true, true, emitted::add, new IntakeListener() {
                @Override
                public void received(String eventType, String resource) {
                }

                @Override
                public void skipped(String reason) {
                }

                @Override
                public void processed(String resource, boolean queued) {
                }
            });
    private final SourceItemStore<ConfigMap> store = new SourceItemStore<>(new SourceItemStore.Kind<>(
            SourceHasher.reloaderCompatible()::digestsOfConfigMap, (cm, d) -> {
                cm.setData(null);
                cm.setBinaryData(null);
                cm.setAdditionalProperty(DIGEST, d);
            }, cm -> (SourceItemStore.Digest) cm.getAdditionalProperties().get(DIGEST), ConfigMap::new),
            Set.of(), false);

    private static ConfigMap cm(String rv, Map<String, String> data, Map<String, String> binary, String... writers) {
        ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withNamespace("ns").withName("cfg")
                .withResourceVersion(rv).endMetadata().withData(data).withBinaryData(binary);
        int minute = 0;
        for (String w : writers) {
            FieldsV1 f = new FieldsV1();
            f.setAdditionalProperty("f:data", Map.of());
            b.editMetadata().addToManagedFields(new ManagedFieldsEntryBuilder().withManager(w).withOperation("Update")
                    .withTime(String.format("2026-01-01T10:%02d:00Z", minute++)).withFieldsV1(f).build()).endMetadata();
        }
        return b.build();
    }

    /** What the informer does: the store takes the object in, then the handler sees the reduced object. */
    private void added(ConfigMap obj) {
        store.put("ns/cfg", obj);
        SourceItemStore.Digest d = store.digestOf(obj);
        detector.added(SourceType.CONFIGMAP, obj, d.hash(), d.keys(), true);
    }

    private SourceChange updated(ConfigMap obj) {
        store.put("ns/cfg", obj);
        SourceItemStore.Digest d = store.digestOf(obj);
        detector.updated(SourceType.CONFIGMAP, obj, d.hash(), d.keys());
        return emitted.get(emitted.size() - 1);
    }

    @Test
    void anUpdateNamesTheChangedAddedAndRemovedKeysAndItsWriter() {
        added(cm("1", Map.of("same", "1", "changed", "a", "removed", "x"), Map.of(), "helm"));
        SourceChange change = updated(cm("2", Map.of("same", "1", "changed", "b", "added", "y"), Map.of(),
                "helm", "kubectl-edit"));
        assertThat(change.cause().keys()).containsExactly("added", "changed", "removed");
        assertThat(change.cause().managers()).containsExactly("kubectl-edit");
        assertThat(change.cause().suffix()).isEqualTo(" (keys: added, changed, removed; by: kubectl-edit)");
    }

    @Test
    void binaryDataKeysCountAndTheStoreKeepsOnlyTheManagerName() {
        added(cm("1", Map.of("a", "1"), Map.of("blob", "AAAA")));
        ConfigMap next = cm("2", Map.of("a", "1"), Map.of("blob", "AAAB"), "operator");
        SourceChange change = updated(next);
        assertThat(change.cause().keys()).containsExactly("blob");
        assertThat(change.cause().managers()).containsExactly("operator");
        // The handler's object: no data, and of managedFields one entry holding only the writer's name.
        assertThat(next.getData()).isNull();
        assertThat(next.getMetadata().getManagedFields()).singleElement().satisfies(e -> {
            assertThat(e.getManager()).isEqualTo("operator");
            assertThat(e.getFieldsV1()).isNull();
            assertThat(e.getTime()).isNull();
        });
        assertThat(store.get("ns/cfg").getMetadata().getManagedFields()).isNullOrEmpty();
    }

    @Test
    void aCreateNamesEveryKeyAndADeleteEveryRemovedKeyWithoutAManager() {
        added(cm("1", Map.of("b", "1", "a", "2"), Map.of(), "kubectl-create"));
        assertThat(emitted).last().satisfies(c -> {
            assertThat(c.type()).isEqualTo(ChangeType.CREATED);
            assertThat(c.cause().suffix()).isEqualTo(" (keys: a, b; by: kubectl-create)");
            assertThat(c.changedKeys()).as("the decision's input is unchanged").isNull();
        });
        detector.deleted(SourceType.CONFIGMAP, cm("1", Map.of(), Map.of()));
        assertThat(emitted).last().satisfies(c -> {
            assertThat(c.type()).isEqualTo(ChangeType.DELETED);
            assertThat(c.cause().suffix()).isEqualTo(" (keys: a, b)");
        });
    }

    @Test
    void withoutManagedFieldsOnlyTheKeysAreKnown() {
        added(cm("1", Map.of("a", "1"), Map.of()));
        assertThat(updated(cm("2", Map.of("a", "2"), Map.of())).cause().suffix()).isEqualTo(" (keys: a)");
        assertThat(detector.state(new io.reloader.model.SourceRef(SourceType.CONFIGMAP, "ns", "cfg")).manager())
                .isNull();
    }

    @Test
    void aSourceSeenAgainAfterARelistNamesOnlyWhatDiffersFromBefore() {
        added(cm("1", Map.of("a", "1", "b", "1"), Map.of(), "helm"));
        added(cm("5", Map.of("a", "1", "b", "2"), Map.of(), "helm", "kubectl-edit"));
        assertThat(emitted).last().satisfies(c -> assertThat(c.cause().suffix()).isEqualTo(" (keys: b; by: kubectl-edit)"));
    }
}
