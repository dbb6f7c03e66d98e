package io.reloader.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reloader.cli.ControllerFlags;
import io.reloader.config.Options;
import io.reloader.model.SourceType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The values keys Reloader v2's chart (reloader-v2) adds, and the v2 HTTP layout, rendered and accepted. */
class ChartV2ValuesTest {

    private static Container render(Map<String, Object> values) {
        TemplateCommand t = new Helm(ChartRender.CHART).template().withName("reloader").withNamespace("reloader");
        values.forEach(t::set);
        List<HasMetadata> objects = ChartRender.parse(t.call());
        return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void v2sCustomAnnotationKeysRenameTheExcludeAndSecretProviderClassKeys() {
        Container c = render(Map.of("reloader.custom_annotations.configmap_exclude", "my/cm-exclude",
                "reloader.custom_annotations.secret_exclude", "my/secret-exclude",
                "reloader.custom_annotations.secretproviderclass", "my/spc",
                "reloader.custom_annotations.secretproviderclass_auto", "my/spc-auto",
                "reloader.custom_annotations.secretproviderclass_exclude", "my/spc-exclude"));
        assertThat(c.getArgs()).containsSubsequence("--configmap-exclude-annotation", "my/cm-exclude")
                .containsSubsequence("--secret-exclude-annotation", "my/secret-exclude")
                .containsSubsequence("--secretproviderclass-annotation", "my/spc")
                .containsSubsequence("--secretproviderclass-auto-annotation", "my/spc-auto")
                .containsSubsequence("--secretproviderclass-exclude-annotation", "my/spc-exclude");
        Options options = ControllerFlags.parse(Map.of(), c.getArgs().toArray(String[]::new));
        assertThat(options.keys().excludeKey(SourceType.CONFIGMAP)).isEqualTo("my/cm-exclude");
        assertThat(options.keys().excludeKey(SourceType.SECRET)).isEqualTo("my/secret-exclude");
        assertThat(options.keys().reloadKey(SourceType.SECRETPROVIDERCLASS)).isEqualTo("my/spc");
        assertThat(options.keys().typedAutoKey(SourceType.SECRETPROVIDERCLASS)).isEqualTo("my/spc-auto");
        assertThat(options.keys().excludeKey(SourceType.SECRETPROVIDERCLASS)).isEqualTo("my/spc-exclude");
    }

    @Test
    void healthAddrServesTheProbesOnTheirOwnPortAsV2sChartDoes() {
        Container c = render(Map.of("reloader.healthAddr", ":8080"));
        assertThat(c.getArgs()).contains("--metrics-addr=:9090", "--health-addr=:8080");
        assertThat(c.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("health");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        Options options = ControllerFlags.parse(Map.of(), c.getArgs().toArray(String[]::new));
        assertThat(options.http().separate()).isTrue();
        assertThat(options.http().healthAddress().getPort()).isEqualTo(8080);
        assertThat(options.http().metricsAddress().getPort()).isEqualTo(9090);
    }

    @Test
    void byDefaultOnePortServesEverythingAsInV1() {
        Container c = render(Map.of());
        assertThat(c.getArgs()).noneMatch(a -> a.startsWith("--metrics-addr") || a.startsWith("--health-addr"));
        assertThat(c.getPorts()).noneMatch(p -> "health".equals(p.getName()));
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
}
