package io.reloader.explain;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads Kubernetes objects from a YAML or JSON file, or from every such file under a directory (recursively). */
public final class ManifestLoader {
    private final KubernetesSerialization json = new KubernetesSerialization();
    private final String defaultNamespace;
    private final List<String> skipped = new ArrayList<>();

    public ManifestLoader(String defaultNamespace) {
        this.defaultNamespace = defaultNamespace;
    }

    public List<HasMetadata> load(Path path) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.walk(path)) {
                for (Path f : files.filter(Files::isRegularFile).filter(ManifestLoader::isManifest).sorted().toList()) {
                    loadFile(f, out);
                }
            }
        } else {
            loadFile(path, out);
        }
        out.forEach(o -> {
            if (o.getMetadata() != null && o.getMetadata().getNamespace() == null) {
                o.getMetadata().setNamespace(defaultNamespace);
            }
        });
        return out;
    }

    /** Files that could not be parsed as Kubernetes objects (e.g. Helm templates), with the reason. */
    public List<String> skipped() {
        return skipped;
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private void loadFile(Path f, List<HasMetadata> out) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            add(json.unmarshal(in), out);
        } catch (RuntimeException e) {
            skipped.add(f + ": " + e.getMessage());
        }
    }

    private void add(Object parsed, List<HasMetadata> out) {
        if (parsed instanceof KubernetesList list) {
            list.getItems().forEach(i -> add(i, out));
        } else if (parsed instanceof List<?> l) {
            l.forEach(i -> add(i, out));
        } else if (parsed instanceof HasMetadata h && h.getMetadata() != null && h.getMetadata().getName() != null) {
            out.add(h);
        }
    }
}
