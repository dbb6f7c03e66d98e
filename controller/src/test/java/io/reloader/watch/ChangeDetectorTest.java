package io.reloader.watch;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.reloader.config.AnnotationKeys;
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

/** Change detection: only a new data hash is a change; create/delete switches and namespace filters apply. */
class ChangeDetectorTest {
    private final List<SourceChange> emitted = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    private final IntakeListener listener = new IntakeListener() {
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
    };

    private ChangeDetector detector(boolean onCreate, boolean onDelete, NamespaceFilter filter) {
        return new ChangeDetector(AnnotationKeys.defaults(), filter, onCreate, onDelete, emitted::add, listener);
    }

    private static ConfigMap cm(String ns, Map<String, String> annotations) {
        return new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace(ns).withAnnotations(annotations)
                .endMetadata().build();
    }

    /** The store's reduced copy, as a delete of an object the watch missed delivers it: no annotations. */
    private static ConfigMap reduced(String ns) {
        return new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace(ns).endMetadata().build();
    }

    @Test
    void anUpdateIsAChangeOnlyWhenTheHashChanges() {
        ChangeDetector d = detector(false, false, NamespaceFilter.none());
        d.added(SourceType.CONFIGMAP, cm("ns", Map.of()), "h1", false);
        d.updated(SourceType.CONFIGMAP, cm("ns", Map.of("touched", "yes")), "h1");
        assertThat(emitted).isEmpty();
        assertThat(skipped).contains("no_data_change");

        d.updated(SourceType.CONFIGMAP, cm("ns", Map.of()), "h2");
        assertThat(emitted).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(ChangeType.UPDATED);
            assertThat(c.hash()).isEqualTo("h2");
            assertThat(c.ref()).isEqualTo(new SourceRef(SourceType.CONFIGMAP, "ns", "cfg"));
        });
        assertThat(d.state(new SourceRef(SourceType.CONFIGMAP, "ns", "cfg")).hash()).isEqualTo("h2");
    }

    @Test
    void initialAddsAreStateNotChangesAndCreatesNeedTheSwitch() {
        ChangeDetector off = detector(false, false, NamespaceFilter.none());
        off.added(SourceType.CONFIGMAP, cm("ns", Map.of()), "h1", true);
        assertThat(emitted).isEmpty();

        ChangeDetector on = detector(true, false, NamespaceFilter.none());
        on.added(SourceType.CONFIGMAP, cm("ns", Map.of()), "h1", false);
        assertThat(emitted).as("initial list").isEmpty();
        on.added(SourceType.CONFIGMAP, cm("ns", Map.of()), "h1", true);
        assertThat(emitted).as("a relist with unchanged data").isEmpty();
        on.added(SourceType.CONFIGMAP, cm("ns", Map.of()), "h2", true);
        assertThat(emitted).singleElement().extracting(SourceChange::type).isEqualTo(ChangeType.CREATED);
    }

    @Test
    void aDeleteCarriesTheRememberedHashAndAnnotationsEvenFromAReducedCopy() {
        ChangeDetector d = detector(false, true, NamespaceFilter.none());
        d.added(SourceType.CONFIGMAP, cm("ns", Map.of("reloader.stakater.com/match", "true")), "h1", false);
        d.deleted(SourceType.CONFIGMAP, reduced("ns"));
        assertThat(emitted).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(ChangeType.DELETED);
            assertThat(c.hash()).isEqualTo("h1");
            assertThat(c.matched()).isTrue();
            assertThat(c.ignored()).isFalse();
        });
        assertThat(d.state(new SourceRef(SourceType.CONFIGMAP, "ns", "cfg"))).isNull();
    }

    @Test
    void theIgnoreAnnotationTravelsWithTheChange() {
        ChangeDetector d = detector(false, false, NamespaceFilter.none());
        d.added(SourceType.CONFIGMAP, cm("ns", Map.of()), "h1", false);
        d.updated(SourceType.CONFIGMAP, cm("ns", Map.of("reloader.stakater.com/ignore", "true")), "h2");
        assertThat(emitted).singleElement().satisfies(c -> assertThat(c.ignored()).isTrue());
    }

    @Test
    void ignoredNamespacesAreFilteredButTheirHashIsStillKnown() {
        ChangeDetector d = detector(false, false, new NamespaceFilter(Set.of("kube-system"), false));
        d.added(SourceType.CONFIGMAP, cm("kube-system", Map.of()), "h1", false);
        d.updated(SourceType.CONFIGMAP, cm("kube-system", Map.of()), "h2");
        assertThat(emitted).isEmpty();
        assertThat(skipped).contains("ignored_or_not_selected");
        assertThat(d.state(new SourceRef(SourceType.CONFIGMAP, "kube-system", "cfg")).hash()).isEqualTo("h2");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"a", "a,b"})
    void aSourceStateGivesBackTheDigestsItWasGiven(String keyList) {
        io.fabric8.kubernetes.api.model.ConfigMap cm = new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("c").endMetadata().build();
        for (String k : keyList.split(",")) {
            cm.getData().put(k, "value of " + k);
        }
        for (io.reloader.hash.SourceHasher hasher : java.util.List.of(io.reloader.hash.SourceHasher.reloaderCompatible(),
                io.reloader.hash.SourceHasher.keyed("0123456789abcdef".getBytes()))) {
            io.reloader.hash.SourceHasher.Digests d = hasher.digestsOfConfigMap(cm);
            ChangeDetector.SourceState state = new ChangeDetector.SourceState(d.hash(), false, true, d.keys());
            assertThat(state.hash()).isEqualTo(d.hash());
            assertThat(state.keys()).isEqualTo(d.keys());
            assertThat(state.matched()).isTrue();
        }
        // A hash that is not hex, or digests that do not come from it, are kept as given.
        io.reloader.model.KeyDigests other = new io.reloader.model.KeyDigests(new String[] {"a"}, new long[] {42L});
        assertThat(new ChangeDetector.SourceState("not-hex", false, false, other).keys()).isEqualTo(other);
        assertThat(new ChangeDetector.SourceState("00ff", false, false, other).keys()).isEqualTo(other);
    }
}
