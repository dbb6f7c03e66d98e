package io.reloader.policy;

import io.reloader.config.AnnotationKeys;
import io.reloader.model.Decision;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.WorkloadView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static io.reloader.policy.Fixtures.cmChange;
import static io.reloader.policy.Fixtures.envFromSpec;
import static org.assertj.core.api.Assertions.assertThat;

/** With --honor-wave-annotations, wave's opt-in means auto: for wave's kinds, its exact value, below Reloader's keys. */
class WaveAnnotationsTest {
    private static final String WAVE = WaveAnnotations.UPDATE_ON_CONFIG_CHANGE;

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("honoured on a Deployment", true, WorkloadKind.DEPLOYMENT, Map.of(WAVE, "true"), true),
                Arguments.of("honoured on a StatefulSet", true, WorkloadKind.STATEFULSET, Map.of(WAVE, "true"), true),
                Arguments.of("honoured on a DaemonSet", true, WorkloadKind.DAEMONSET, Map.of(WAVE, "true"), true),
                Arguments.of("not without the flag", false, WorkloadKind.DEPLOYMENT, Map.of(WAVE, "true"), false),
                Arguments.of("not on kinds wave does not handle", true, WorkloadKind.CRONJOB, Map.of(WAVE, "true"), false),
                Arguments.of("only wave's exact value", true, WorkloadKind.DEPLOYMENT, Map.of(WAVE, "True"), false),
                Arguments.of("false opts out", true, WorkloadKind.DEPLOYMENT, Map.of(WAVE, "false"), false),
                Arguments.of("Reloader's explicit auto=false wins", true, WorkloadKind.DEPLOYMENT,
                        Map.of(WAVE, "true", "reloader.stakater.com/auto", "false"), false),
                Arguments.of("an exclude still applies", true, WorkloadKind.DEPLOYMENT,
                        Map.of(WAVE, "true", AnnotationKeys.CONFIGMAP_EXCLUDE, "cfg"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void waveOptInMeansAuto(String row, boolean honour, WorkloadKind kind, Map<String, String> meta, boolean reloads) {
        WorkloadView view = new WorkloadView(new WorkloadKey(kind, "ns", "web"), meta, Map.of(), envFromSpec("cfg", null));
        Decision d = new ReloadPolicy(AnnotationKeys.defaults(), false, honour).decide(cmChange("cfg"), view).decision();
        if (reloads) {
            assertThat(d).isEqualTo(new Decision.Reload(Decision.Rule.AUTO, "app"));
        } else {
            assertThat(d).isInstanceOf(Decision.Skip.class);
        }
    }
}
