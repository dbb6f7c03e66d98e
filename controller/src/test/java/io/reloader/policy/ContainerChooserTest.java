package io.reloader.policy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.reloader.model.ReloadMode;
import io.reloader.model.SourceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.stream.Stream;

import static io.reloader.policy.Fixtures.cmVolume;
import static io.reloader.policy.Fixtures.container;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec docs/compatibility.md#references-and-container-choice, including the quirk that only the first referencing volume is considered. */
class ContainerChooserTest {

    private static ContainerBuilder mounting(String name, String volume) {
        return new ContainerBuilder().withName(name).withImage("i").addNewVolumeMount().withName(volume)
                .withMountPath("/etc/" + volume).endVolumeMount();
    }

    private static ContainerBuilder envFrom(String name, String configMap) {
        return new ContainerBuilder().withName(name).withImage("i").addNewEnvFrom().withNewConfigMapRef()
                .withName(configMap).endConfigMapRef().endEnvFrom();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("volume mounted by the second container",
                        new PodSpecBuilder().withVolumes(cmVolume("v", "cfg"))
                                .withContainers(container("a"), mounting("b", "v").build()).build(),
                        ReloadMode.AUTO, Optional.of("b")),
                Arguments.of("subPath mounts count",
                        new PodSpecBuilder().withVolumes(cmVolume("v", "cfg"))
                                .withContainers(container("a"), mounting("b", "v").editFirstVolumeMount()
                                        .withSubPath("x").endVolumeMount().build()).build(),
                        ReloadMode.AUTO, Optional.of("b")),
                Arguments.of("volume mounted only by an init container -> first container",
                        new PodSpecBuilder().withVolumes(cmVolume("v", "cfg"))
                                .withInitContainers(mounting("init", "v").build())
                                .withContainers(container("a"), container("b")).build(),
                        ReloadMode.AUTO, Optional.of("a")),
                Arguments.of("only the first referencing volume counts (auto: none)",
                        new PodSpecBuilder().withVolumes(cmVolume("v1", "cfg"), cmVolume("v2", "cfg"))
                                .withContainers(container("a"), mounting("b", "v2").build()).build(),
                        ReloadMode.AUTO, Optional.empty()),
                Arguments.of("only the first referencing volume counts (named: first container)",
                        new PodSpecBuilder().withVolumes(cmVolume("v1", "cfg"), cmVolume("v2", "cfg"))
                                .withContainers(container("a"), mounting("b", "v2").build()).build(),
                        ReloadMode.NAMED, Optional.of("a")),
                Arguments.of("env reference in the second container",
                        new PodSpecBuilder().withContainers(container("a"), envFrom("b", "cfg").build()).build(),
                        ReloadMode.AUTO, Optional.of("b")),
                Arguments.of("env reference only in an init container -> first container",
                        new PodSpecBuilder().withInitContainers(envFrom("init", "cfg").build())
                                .withContainers(container("a")).build(),
                        ReloadMode.AUTO, Optional.of("a")),
                Arguments.of("keyRef counts",
                        new PodSpecBuilder().withContainers(container("a"), new ContainerBuilder().withName("b")
                                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "cfg", true)
                                .endValueFrom().endEnv().build()).build(),
                        ReloadMode.AUTO, Optional.of("b")),
                Arguments.of("projected volume",
                        new PodSpecBuilder().withVolumes(new VolumeBuilder().withName("p").withNewProjected()
                                        .addNewSource().withNewConfigMap().withName("cfg").endConfigMap().endSource()
                                        .endProjected().build())
                                .withContainers(container("a"), mounting("b", "p").build()).build(),
                        ReloadMode.AUTO, Optional.of("b")),
                Arguments.of("no containers", new PodSpecBuilder().build(), ReloadMode.NAMED, Optional.empty()),
                Arguments.of("unreferenced, named -> first container",
                        new PodSpecBuilder().withContainers(container("a"), container("b")).build(),
                        ReloadMode.NAMED, Optional.of("a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void chooses(String name, PodSpec spec, ReloadMode mode, Optional<String> expected) {
        assertThat(ContainerChooser.choose(spec, SourceType.CONFIGMAP, "cfg", mode)).isEqualTo(expected);
    }
}
