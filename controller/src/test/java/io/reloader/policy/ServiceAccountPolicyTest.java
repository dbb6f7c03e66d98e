package io.reloader.policy;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.ChangeType;
import io.reloader.model.Decision;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which workloads a ServiceAccount's identity change rolls: those running as it that reload automatically. */
class ServiceAccountPolicyTest {
    private static final String AUTO = "reloader.stakater.com/auto";

    private static PodSpec runningAs(String serviceAccount) {
        return new PodSpecBuilder().withServiceAccountName(serviceAccount).addNewContainer().withName("main")
                .withImage("i").endContainer().addNewContainer().withName("sidecar").withImage("i").endContainer()
                .build();
    }

    private static SourceChange changeOf(String serviceAccount) {
        return new SourceChange(new SourceRef(SourceType.SERVICEACCOUNT, "ns", serviceAccount), ChangeType.UPDATED,
                "h", false, false);
    }

    static Stream<Arguments> table() {
        Decision reloadAuto = new Decision.Reload(Decision.Rule.AUTO, "main");
        Decision reloadAll = new Decision.Reload(Decision.Rule.AUTO_RELOAD_ALL, "main");
        Decision notAnnotated = new Decision.Skip(Decision.SkipReason.NOT_ANNOTATED);
        Decision elsewhere = new Decision.Skip(Decision.SkipReason.NO_CONTAINER);
        return Stream.of(
                // name, metadata, template, runs as, changed SA, --auto-reload-all, expected
                Arguments.of("auto on metadata", Map.of(AUTO, "true"), Map.of(), "app", "app", false, reloadAuto),
                Arguments.of("auto on the template", Map.of(), Map.of(AUTO, "true"), "app", "app", false, reloadAuto),
                Arguments.of("auto, Go bool", Map.of(AUTO, "T"), Map.of(), "app", "app", false, reloadAuto),
                Arguments.of("unset serviceAccountName means default", Map.of(AUTO, "true"), Map.of(), null, "default",
                        false, reloadAuto),
                Arguments.of("empty serviceAccountName means default", Map.of(AUTO, "true"), Map.of(), "", "default",
                        false, reloadAuto),
                Arguments.of("another ServiceAccount", Map.of(AUTO, "true"), Map.of(), "app", "other", false, elsewhere),
                Arguments.of("default is not app", Map.of(AUTO, "true"), Map.of(), null, "app", false, elsewhere),
                Arguments.of("not annotated", Map.of(), Map.of(), "app", "app", false, notAnnotated),
                Arguments.of("auto-reload-all", Map.of(), Map.of(), "app", "app", true, reloadAll),
                Arguments.of("auto false opts out of auto-reload-all", Map.of(AUTO, "false"), Map.of(), "app", "app",
                        true, notAnnotated),
                Arguments.of("typed auto does not apply", Map.of("configmap.reloader.stakater.com/auto", "true",
                        "secret.reloader.stakater.com/auto", "true"), Map.of(), "app", "app", false, notAnnotated),
                Arguments.of("named reload does not apply", Map.of("configmap.reloader.stakater.com/reload", "app"),
                        Map.of(), "app", "app", false, notAnnotated),
                Arguments.of("search does not apply", Map.of("reloader.stakater.com/search", "true"), Map.of(AUTO, "true"),
                        "app", "app", false, notAnnotated),
                Arguments.of("typed auto still lets auto-reload-all apply", Map.of("configmap.reloader.stakater.com/auto",
                        "false"), Map.of(), "app", "app", true, reloadAll));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, Map<String, String> meta, Map<String, String> template, String runsAs, String changed,
                 boolean autoReloadAll, Decision expected) {
        ReloadPolicy policy = new ReloadPolicy(AnnotationKeys.defaults(), autoReloadAll);
        assertThat(policy.decide(changeOf(changed), Fixtures.workload(meta, template, runningAs(runsAs))).decision())
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void aWorkloadWithoutContainersIsNotRolled(String name, Map<String, String> meta, Map<String, String> template,
                                               String runsAs, String changed, boolean autoReloadAll, Decision expected) {
        ReloadPolicy policy = new ReloadPolicy(AnnotationKeys.defaults(), autoReloadAll);
        PodSpec none = new PodSpecBuilder().withServiceAccountName(runsAs).build();
        assertThat(policy.decide(changeOf(changed), Fixtures.workload(meta, template, none)).decision())
                .isNotInstanceOf(Decision.Reload.class);
    }
}
