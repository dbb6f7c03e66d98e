package io.reloader.policy;

import io.reloader.config.AnnotationKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static io.reloader.policy.Fixtures.envFromSpec;
import static io.reloader.policy.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

class AnnotationLintTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Map.of("reloader.stakater.com/auto", "my-configmap,my-secret"), Map.of(),
                        "reloader.stakater.com/auto", "invalid boolean"),
                Arguments.of(Map.of(), Map.of("secret.reloader.stakater.com/auto", "yes"),
                        "secret.reloader.stakater.com/auto", "invalid boolean"),
                Arguments.of(Map.of("configmap.reloader.stakater.com/reload", "ok,[bad"), Map.of(),
                        "configmap.reloader.stakater.com/reload", "invalid regex \"[bad\""),
                Arguments.of(Map.of("reloader.stakater.com/match", "true"), Map.of(),
                        "reloader.stakater.com/match", "has no effect on a workload"),
                Arguments.of(Map.of("reloader.stakater.com/ignore", "true"), Map.of(),
                        "reloader.stakater.com/ignore", "has no effect on a workload"),
                Arguments.of(Map.of(), Map.of("configmaps.exclude.reloader.stakater.com/reload", "cfg"),
                        "configmaps.exclude.reloader.stakater.com/reload", "only read from workload metadata"),
                Arguments.of(Map.of("reloader.stakater.com/search", "True"), Map.of(),
                        "reloader.stakater.com/search", "only the exact value"));
    }

    @ParameterizedTest(name = "{2}: {3}")
    @MethodSource("cases")
    void flags(Map<String, String> meta, Map<String, String> template, String key, String message) {
        AnnotationLint lint = new AnnotationLint(AnnotationKeys.defaults());
        assertThat(lint.lint(workload(meta, template, envFromSpec("cfg", null))))
                .anySatisfy(p -> {
                    assertThat(p.key()).isEqualTo(key);
                    assertThat(p.message()).contains(message);
                });
    }

    @org.junit.jupiter.api.Test
    void validAnnotationsAreClean() {
        AnnotationLint lint = new AnnotationLint(AnnotationKeys.defaults());
        assertThat(lint.lint(workload(Map.of("reloader.stakater.com/auto", "true",
                "configmap.reloader.stakater.com/reload", "a,b.*", "reloader.stakater.com/search", "true"),
                Map.of(), envFromSpec("cfg", null)))).isEmpty();
    }
}
