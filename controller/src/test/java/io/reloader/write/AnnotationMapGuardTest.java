package io.reloader.write;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class AnnotationMapGuardTest {
    private static final Map<String, Object> RV = Map.of("op", "replace", "path", "/metadata/resourceVersion", "value", "7");
    private static final Map<String, Object> CREATE = Map.of("op", "add", "path", "/metadata/annotations",
            "value", Map.of("reloader.stakater.com/applied-hashes", "{}"));

    @Test
    void aMapThatExistsLiveGetsOneAddPerKeyEscaped() {
        var live = new DeploymentBuilder().withNewMetadata().addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{}")
                .endMetadata().build();
        var ops = AnnotationMapGuard.against(List.of(RV, Map.of("op", "add", "path", "/metadata/annotations",
                "value", Map.of("a/b~c", "v"))), () -> live);
        assertThat(ops).containsExactly(RV, Map.of("op", "add", "path", "/metadata/annotations/a~1b~0c", "value", "v"));
    }

    @Test
    void aMapThatIsMissingLiveIsCreated() {
        var live = new DeploymentBuilder().withNewMetadata().withName("web").endMetadata().build();
        assertThat(AnnotationMapGuard.against(List.of(RV, CREATE), () -> live)).containsExactly(RV, CREATE);
    }

    @Test
    void nothingIsReadWhenThePatchAddsSingleKeys() {
        AtomicInteger reads = new AtomicInteger();
        List<Map<String, Object>> ops = List.of(RV, Map.of("op", "add", "path", "/metadata/annotations/x", "value", "v"));
        assertThat(AnnotationMapGuard.against(ops, () -> {
            reads.incrementAndGet();
            return null;
        })).isSameAs(ops);
        assertThat(reads).hasValue(0);
    }
}
