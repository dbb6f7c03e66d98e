package io.reloader.workload;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sequential rollouts wait for Argo Rollouts and custom kinds by kstatus's rules: the written generation is the
 * object's and its rollout is Current (before, both counted as available at once).
 */
class KstatusAvailabilityTest {
    private static final WorkloadKind CLONESET = new WorkloadKind("CLONESET", "apps.kruise.io", "v1alpha1",
            "CloneSet", "clonesets", "cloneSets", "/spec/template", GenericKubernetesResource.class);

    private static GenericKubernetesResource object(String kind, long generation, Map<String, Object> status) {
        GenericKubernetesResource o = new GenericKubernetesResourceBuilder().withKind(kind).withNewMetadata()
                .withName("w").withNamespace("ns").withGeneration(generation).endMetadata().build();
        if (status != null) {
            o.setAdditionalProperty("status", status);
        }
        return o;
    }

    private static Map<String, Object> status(long observed, String phase, String readyCondition) {
        Map<String, Object> s = new HashMap<>();
        s.put("observedGeneration", observed);
        if (phase != null) {
            s.put("phase", phase);
        }
        if (readyCondition != null) {
            s.put("conditions", java.util.List.of(Map.of("type", "Ready", "status", readyCondition)));
        }
        return s;
    }

    @ParameterizedTest(name = "Rollout gen {0}, observed {1}, phase {2}, written {3} -> {4}")
    @CsvSource({
            "2, 2, Healthy,     2, true",
            "2, 1, Healthy,     2, false",
            "2, 2, Progressing, 2, false",
            "2, 2, Degraded,    2, false",
            "1, 1, Healthy,     2, false",
    })
    void argoRollouts(long generation, long observed, String phase, long written, boolean available) {
        RolloutAdapter adapter = new RolloutAdapter(null, Clock.systemUTC());
        assertThat(adapter.available(object("Rollout", generation, status(observed, phase, null)), written))
                .isEqualTo(available);
    }

    @ParameterizedTest(name = "CloneSet gen {0}, observed {1}, Ready {2}, written {3} -> {4}")
    @CsvSource({
            "3, 3, True,  3, true",
            "3, 3, False, 3, false",
            "3, 2, True,  3, false",
    })
    void customKinds(long generation, long observed, String ready, long written, boolean available) {
        CustomWorkloadAdapter adapter = new CustomWorkloadAdapter(CLONESET, null);
        assertThat(adapter.available(object("CloneSet", generation, status(observed, null, ready)), written))
                .isEqualTo(available);
    }
}
