package io.reloader.index;

import io.reloader.config.AnnotationKeys;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.Fixtures;
import io.reloader.spec.WorkloadView;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference index: who may reload for a source, kept current on upsert and remove, with nothing left over. */
class ReferenceIndexTest {
    private static final SourceRef CFG = new SourceRef(SourceType.CONFIGMAP, "ns", "cfg");
    private static final SourceRef OTHER = new SourceRef(SourceType.CONFIGMAP, "ns", "other");
    private static final SourceRef DB = new SourceRef(SourceType.SECRET, "ns", "db");

    private static WorkloadView view(String name, Map<String, String> meta, String configMap, String secret) {
        return new WorkloadView(new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", name), meta, Map.of(),
                Fixtures.envFromSpec(configMap, secret));
    }

    @Test
    void referencedSourcesAndNamedPatternsFindTheirWorkloads() {
        ReferenceIndex index = new ReferenceIndex(AnnotationKeys.defaults());
        index.upsert(view("web", Map.of(), "cfg", "db"));
        index.upsert(view("named", Map.of("configmap.reloader.stakater.com/reload", "oth.*"), null, null));

        assertThat(index.candidates(CFG)).extracting(WorkloadKey::name).containsExactlyInAnyOrder("web", "named");
        assertThat(index.candidates(OTHER)).extracting(WorkloadKey::name).containsExactly("named");
        assertThat(index.candidates(DB)).extracting(WorkloadKey::name).containsExactly("web");
        assertThat(index.candidates(new SourceRef(SourceType.CONFIGMAP, "elsewhere", "cfg"))).isEmpty();
    }

    @Test
    void anUpsertReplacesTheOldReferences() {
        ReferenceIndex index = new ReferenceIndex(AnnotationKeys.defaults());
        index.upsert(view("web", Map.of(), "cfg", null));
        index.upsert(view("web", Map.of(), "other", null));
        assertThat(index.candidates(CFG)).isEmpty();
        assertThat(index.candidates(OTHER)).extracting(WorkloadKey::name).containsExactly("web");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void removingEveryWorkloadLeavesNoEmptySetsBehind() {
        ReferenceIndex index = new ReferenceIndex(AnnotationKeys.defaults());
        for (int i = 0; i < 50; i++) {
            index.upsert(view("w" + i, Map.of("secret.reloader.stakater.com/reload", "db"), "cfg-" + i, "db"));
        }
        assertThat(index.lookupKeys()).isGreaterThan(50);
        for (int i = 0; i < 50; i++) {
            index.remove(new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "w" + i));
        }
        assertThat(index.size()).isZero();
        assertThat(index.lookupKeys()).isZero();
        assertThat(index.candidates(DB)).isEmpty();
    }
}
