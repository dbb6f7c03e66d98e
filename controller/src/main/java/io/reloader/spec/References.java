package io.reloader.spec;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.reloader.model.SourceType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which sources a pod spec references (docs/compatibility.md#references-and-container-choice): volumes and env of regular and init containers. */
public final class References {
    /** A reference within one namespace: the type and name of a source. */
    public record Ref(SourceType type, String name) {
    }

    private References() {
    }

    /** Every source the pod spec references. */
    public static Set<Ref> of(PodSpec spec) {
        Set<Ref> refs = new LinkedHashSet<>();
        for (Volume v : nullSafe(spec.getVolumes())) {
            for (SourceType t : SourceType.values()) {
                String name = volumeSource(v, t);
                if (name != null) {
                    refs.add(new Ref(t, name));
                }
                for (String projected : projectedSources(v, t)) {
                    refs.add(new Ref(t, projected));
                }
            }
        }
        List<Container> all = new ArrayList<>(nullSafe(spec.getContainers()));
        all.addAll(nullSafe(spec.getInitContainers()));
        for (Container c : all) {
            for (SourceType t : List.of(SourceType.CONFIGMAP, SourceType.SECRET)) {
                envNames(c, t).forEach(n -> refs.add(new Ref(t, n)));
            }
        }
        return refs;
    }

    /**
     * The ServiceAccount the pod runs as: {@code serviceAccountName}, else the deprecated {@code serviceAccount}
     * (the API server copies it over), else {@code default}, as the ServiceAccount admission plugin sets it.
     */
    public static String serviceAccount(PodSpec spec) {
        if (spec == null) {
            return DEFAULT_SERVICE_ACCOUNT;
        }
        String name = spec.getServiceAccountName();
        if (name == null || name.isEmpty()) {
            name = spec.getServiceAccount();
        }
        return name == null || name.isEmpty() ? DEFAULT_SERVICE_ACCOUNT : name;
    }

    /** The ServiceAccount of a pod whose template names none. */
    public static final String DEFAULT_SERVICE_ACCOUNT = "default";

    /** True when the volume references the named source, directly or through a projected volume. */
    public static boolean volumeReferences(Volume v, SourceType type, String name) {
        return name.equals(volumeSource(v, type)) || projectedSources(v, type).contains(name);
    }

    /** True when the container's env or envFrom references the named source. */
    public static boolean envReferences(Container c, SourceType type, String name) {
        return envNames(c, type).contains(name);
    }

    private static String volumeSource(Volume v, SourceType type) {
        return switch (type) {
            case CONFIGMAP -> v.getConfigMap() == null ? null : v.getConfigMap().getName();
            case SECRET -> v.getSecret() == null ? null : v.getSecret().getSecretName();
            case SECRETPROVIDERCLASS -> v.getCsi() == null || v.getCsi().getVolumeAttributes() == null ? null
                    : v.getCsi().getVolumeAttributes().get("secretProviderClass");
            case SERVICEACCOUNT -> null;
        };
    }

    private static List<String> projectedSources(Volume v, SourceType type) {
        if (v.getProjected() == null || type == SourceType.SECRETPROVIDERCLASS || type == SourceType.SERVICEACCOUNT) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (VolumeProjection p : nullSafe(v.getProjected().getSources())) {
            if (type == SourceType.CONFIGMAP && p.getConfigMap() != null && p.getConfigMap().getName() != null) {
                names.add(p.getConfigMap().getName());
            } else if (type == SourceType.SECRET && p.getSecret() != null && p.getSecret().getName() != null) {
                names.add(p.getSecret().getName());
            }
        }
        return names;
    }

    private static List<String> envNames(Container c, SourceType type) {
        List<String> names = new ArrayList<>();
        for (EnvVar e : nullSafe(c.getEnv())) {
            if (e.getValueFrom() == null) {
                continue;
            }
            if (type == SourceType.CONFIGMAP && e.getValueFrom().getConfigMapKeyRef() != null) {
                names.add(e.getValueFrom().getConfigMapKeyRef().getName());
            } else if (type == SourceType.SECRET && e.getValueFrom().getSecretKeyRef() != null) {
                names.add(e.getValueFrom().getSecretKeyRef().getName());
            }
        }
        for (EnvFromSource e : nullSafe(c.getEnvFrom())) {
            if (type == SourceType.CONFIGMAP && e.getConfigMapRef() != null) {
                names.add(e.getConfigMapRef().getName());
            } else if (type == SourceType.SECRET && e.getSecretRef() != null) {
                names.add(e.getSecretRef().getName());
            }
        }
        return names;
    }

    public static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
