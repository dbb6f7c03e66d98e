package io.reloader.spec;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.reloader.model.SourceType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.reloader.spec.References.nullSafe;

/**
 * Which keys of a source a pod spec reads: {@code valueFrom} keys, a volume's or projection's {@code items}, a
 * {@code subPath} on such a volume. {@code envFrom} and a whole-volume mount read every key. Pure.
 */
public final class KeyReferences {
    private KeyReferences() {
    }

    /** The keys read, or empty when every key is read (or the source is not referenced by key at all). */
    public static Optional<Set<String>> of(PodSpec spec, SourceType type, String name) {
        if (type == SourceType.SECRETPROVIDERCLASS || type == SourceType.SERVICEACCOUNT) {
            return Optional.empty();
        }
        Set<String> keys = new LinkedHashSet<>();
        List<Container> containers = new ArrayList<>(nullSafe(spec.getContainers()));
        containers.addAll(nullSafe(spec.getInitContainers()));
        for (Container c : containers) {
            for (EnvFromSource e : nullSafe(c.getEnvFrom())) {
                String from = type == SourceType.CONFIGMAP ? (e.getConfigMapRef() == null ? null
                        : e.getConfigMapRef().getName()) : (e.getSecretRef() == null ? null : e.getSecretRef().getName());
                if (name.equals(from)) {
                    return Optional.empty();
                }
            }
            for (EnvVar e : nullSafe(c.getEnv())) {
                if (e.getValueFrom() == null) {
                    continue;
                }
                if (type == SourceType.CONFIGMAP && e.getValueFrom().getConfigMapKeyRef() != null
                        && name.equals(e.getValueFrom().getConfigMapKeyRef().getName())) {
                    keys.add(e.getValueFrom().getConfigMapKeyRef().getKey());
                } else if (type == SourceType.SECRET && e.getValueFrom().getSecretKeyRef() != null
                        && name.equals(e.getValueFrom().getSecretKeyRef().getName())) {
                    keys.add(e.getValueFrom().getSecretKeyRef().getKey());
                }
            }
        }
        for (Volume v : nullSafe(spec.getVolumes())) {
            List<List<KeyToPath>> uses = new ArrayList<>();
            if (type == SourceType.CONFIGMAP && v.getConfigMap() != null && name.equals(v.getConfigMap().getName())) {
                uses.add(nullSafe(v.getConfigMap().getItems()));
            } else if (type == SourceType.SECRET && v.getSecret() != null && name.equals(v.getSecret().getSecretName())) {
                uses.add(nullSafe(v.getSecret().getItems()));
            }
            if (v.getProjected() != null) {
                for (VolumeProjection p : nullSafe(v.getProjected().getSources())) {
                    if (type == SourceType.CONFIGMAP && p.getConfigMap() != null && name.equals(p.getConfigMap().getName())) {
                        uses.add(nullSafe(p.getConfigMap().getItems()));
                    } else if (type == SourceType.SECRET && p.getSecret() != null && name.equals(p.getSecret().getName())) {
                        uses.add(nullSafe(p.getSecret().getItems()));
                    }
                }
            }
            for (List<KeyToPath> items : uses) {
                Optional<Set<String>> read = volumeKeys(v.getName(), items, containers, v.getProjected() != null);
                if (read.isEmpty()) {
                    return Optional.empty();
                }
                keys.addAll(read.get());
            }
        }
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys);
    }

    /**
     * Keys a volume exposes to its mounts: its items, narrowed to the files mounted by {@code subPath} when every
     * mount of the volume uses one; every key when there are no items and some mount takes the whole volume.
     */
    private static Optional<Set<String>> volumeKeys(String volume, List<KeyToPath> items, List<Container> containers,
                                                    boolean projected) {
        List<String> subPaths = new ArrayList<>();
        boolean whole = false;
        for (Container c : containers) {
            for (VolumeMount m : nullSafe(c.getVolumeMounts())) {
                if (volume.equals(m.getName())) {
                    if (m.getSubPath() == null || m.getSubPath().isEmpty()) {
                        whole = true;
                    } else {
                        subPaths.add(m.getSubPath());
                    }
                }
            }
        }
        Set<String> keys = new LinkedHashSet<>();
        if (items.isEmpty()) {
            if (whole || subPaths.isEmpty() || projected) {
                return Optional.empty();
            }
            subPaths.forEach(p -> keys.add(p.contains("/") ? p.substring(0, p.indexOf('/')) : p));
            return Optional.of(keys);
        }
        for (KeyToPath item : items) {
            if (whole || subPaths.isEmpty() || subPaths.stream().anyMatch(p -> p.equals(item.getPath())
                    || p.startsWith(item.getPath() + "/"))) {
                keys.add(item.getKey());
            }
        }
        return Optional.of(keys);
    }
}
