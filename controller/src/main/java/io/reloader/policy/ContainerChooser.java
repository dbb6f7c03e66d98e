package io.reloader.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.reloader.model.ReloadMode;
import io.reloader.model.SourceType;
import io.reloader.spec.References;

import java.util.List;
import java.util.Optional;

import static io.reloader.spec.References.nullSafe;

/** Picks the one container that receives the change (docs/compatibility.md#references-and-container-choice), reproducing Reloader's quirks. */
public final class ContainerChooser {
    private ContainerChooser() {
    }

    public static Optional<String> choose(PodSpec spec, SourceType type, String name, ReloadMode mode) {
        List<Container> containers = nullSafe(spec.getContainers());
        List<Container> inits = nullSafe(spec.getInitContainers());
        Optional<String> first = containers.isEmpty() ? Optional.empty() : Optional.ofNullable(containers.get(0).getName());

        // Only the first referencing volume is considered; later ones are never looked at.
        Volume volume = nullSafe(spec.getVolumes()).stream()
                .filter(v -> References.volumeReferences(v, type, name)).findFirst().orElse(null);
        if (volume != null) {
            for (Container c : containers) {
                if (mounts(c, volume.getName())) {
                    return Optional.ofNullable(c.getName());
                }
            }
            if (inits.stream().anyMatch(c -> mounts(c, volume.getName()))) {
                return first;
            }
        }
        for (Container c : containers) {
            if (References.envReferences(c, type, name)) {
                return Optional.ofNullable(c.getName());
            }
        }
        if (inits.stream().anyMatch(c -> References.envReferences(c, type, name))) {
            return first;
        }
        return mode == ReloadMode.NAMED ? first : Optional.empty();
    }

    private static boolean mounts(Container c, String volumeName) {
        for (VolumeMount m : nullSafe(c.getVolumeMounts())) {
            if (volumeName != null && volumeName.equals(m.getName())) {
                return true;
            }
        }
        return false;
    }
}
