package io.reloader.explain;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.config.AnnotationKeys;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExplainerTest {

    private static HasMetadata cm(String name, Map<String, String> annotations) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns").withAnnotations(annotations)
                .endMetadata().build();
    }

    private static HasMetadata deployment(String name, Map<String, String> annotations, String... configMaps) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .withAnnotations(annotations).endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("app").endContainer().endSpec().endTemplate().endSpec();
        for (String c : configMaps) {
            b.editSpec().editTemplate().editSpec().editFirstContainer().addNewEnvFrom().withNewConfigMapRef()
                    .withName(c).endConfigMapRef().endEnvFrom().endContainer().endSpec().endTemplate().endSpec();
        }
        return b.build();
    }

    private final Explainer explainer = new Explainer(AnnotationKeys.defaults(), false);

    @Test
    void namesEveryEdgeWithItsRule() {
        Explanation e = explainer.explain(List.of(
                cm("cfg", Map.of()), cm("matched", Map.of("reloader.stakater.com/match", "true")),
                deployment("auto", Map.of("reloader.stakater.com/auto", "true"), "cfg"),
                deployment("named", Map.of("configmap.reloader.stakater.com/reload", "c.g")),
                deployment("search", Map.of("reloader.stakater.com/search", "true"), "cfg", "matched"),
                deployment("plain", Map.of(), "cfg")));
        assertThat(e.sources()).filteredOn(s -> s.ref().name().equals("cfg")).singleElement()
                .satisfies(s -> assertThat(s.reloads()).extracting(x -> x.workload().name() + ":" + x.rule())
                        .containsExactly("auto:auto", "named:named"));
        assertThat(e.sources()).filteredOn(s -> s.ref().name().equals("matched")).singleElement()
                .satisfies(s -> assertThat(s.reloads()).extracting(x -> x.workload().name() + ":" + x.rule())
                        .containsExactly("search:search"));
        assertThat(e.workloads()).filteredOn(w -> w.ref().name().equals("plain")).singleElement()
                .satisfies(w -> assertThat(w.follows()).isEmpty());
        assertThat(e.hasErrors()).isFalse();
    }

    @Test
    void flagsInvalidAndUselessAnnotations() {
        Explanation e = explainer.explain(List.of(cm("cfg", Map.of()),
                deployment("bad", Map.of("configmap.reloader.stakater.com/reload", "[x,nomatch")),
                deployment("lonely", Map.of("reloader.stakater.com/auto", "true")),
                deployment("excl", Map.of("reloader.stakater.com/auto", "true",
                        "configmaps.exclude.reloader.stakater.com/reload", "ghost"), "cfg")));
        assertThat(e.hasErrors()).isTrue();
        assertThat(e.problems()).extracting(p -> p.severity() + " " + p.workload().name() + " " + p.message())
                .anyMatch(s -> s.startsWith("ERROR bad invalid regex \"[x\""))
                .anyMatch(s -> s.startsWith("WARNING bad pattern \"nomatch\" matches no ConfigMap"))
                .anyMatch(s -> s.startsWith("WARNING lonely is true but the pod template references no"))
                .anyMatch(s -> s.startsWith("WARNING excl excludes ConfigMap \"ghost\""));
    }

    @Test
    void aWorkloadsReloadWindowIsShownWithItsNextOpening() {
        Explainer at = new Explainer(AnnotationKeys.defaults(), false, new io.reloader.config.TimingOptions(
                java.time.Duration.ZERO, java.time.Duration.ZERO, null), java.time.Instant.parse("2026-11-23T10:00:00Z"));
        Explanation e = at.explain(List.of(cm("cfg", Map.of()), deployment("nightly", Map.of(
                "reloader.stakater.com/auto", "true", "reloader.stakater.com/reload-window", "Mon-Fri 02:00-05:00 UTC"),
                "cfg"), deployment("always", Map.of("reloader.stakater.com/auto", "true"), "cfg")));
        assertThat(e.workloads()).filteredOn(w -> w.ref().name().equals("nightly")).singleElement()
                .satisfies(w -> assertThat(w.window()).isEqualTo(new Explanation.Window("Mon-Fri 02:00-05:00 UTC",
                        false, "2026-11-24T02:00:00Z")));
        assertThat(e.workloads()).filteredOn(w -> w.ref().name().equals("always")).singleElement()
                .satisfies(w -> assertThat(w.window()).isNull());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ExplanationPrinter.text(e, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains(
                "reload window 'Mon-Fri 02:00-05:00 UTC': closed; a change is held until 2026-11-24T02:00:00Z");
    }
}
