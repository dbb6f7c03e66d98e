package io.reloader.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders the chart with the real Helm: as {@code helm template}, or against a cluster that serves given APIs. */
final class ChartRender {
    static final Path CHART = Path.of("deployments", "kubernetes", "chart", "reloader");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private ChartRender() {
    }

    /** {@code helm template} with a values file: no optional API is served. */
    static List<HasMetadata> template(String release, String namespace, String values) {
        TemplateCommand t = new Helm(CHART).template().withName(release).withNamespace(namespace)
                .withValuesFile(valuesFile(values));
        return parse(t.call());
    }

    /**
     * {@code helm install} into a stand-in API server that serves the built-in kinds plus {@code apis}, so that
     * {@code .Capabilities.APIVersions.Has} sees them (helm-java has no {@code --api-versions}); returns what helm
     * created there.
     */
    static List<HasMetadata> withApis(String release, String values, Set<Map<String, List<String>>> apis) {
        try (DiscoveryServer cluster = new DiscoveryServer(apis)) {
            new Helm(CHART).install().withName(release).withNamespace("reloader")
                    .withKubeConfigContents(cluster.kubeconfig()).disableOpenApiValidation()
                    .withValuesFile(valuesFile(values)).call();
            List<HasMetadata> out = new ArrayList<>();
            cluster.created().forEach(json -> out.addAll(parse(json)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path valuesFile(String values) {
        try {
            Path file = Files.createTempFile("values", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, values == null ? "{}" : values);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<HasMetadata> parse(String yaml) {
        Object parsed = YAML.unmarshal(yaml);
        List<HasMetadata> out = new ArrayList<>();
        if (parsed instanceof List<?> l) {
            l.stream().filter(HasMetadata.class::isInstance).map(HasMetadata.class::cast).forEach(out::add);
        } else if (parsed instanceof HasMetadata h) {
            out.add(h);
        }
        return out;
    }

    static HasMetadata only(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).reduce((a, b) -> {
            throw new AssertionError("more than one " + kind);
        }).orElseThrow(() -> new AssertionError("no " + kind + " in " + objects.stream().map(HasMetadata::getKind).toList()));
    }

    /** The object as plain maps, for kinds without a model class here (monitors, VPA) and for paths. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(HasMetadata o) {
        return YAML.convertValue(o, Map.class);
    }

    static GenericKubernetesResource generic(HasMetadata o) {
        return YAML.convertValue(o, GenericKubernetesResource.class);
    }
}
