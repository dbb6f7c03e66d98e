package io.reloader.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelSelectorTest {

    static Stream<Arguments> cases() {
        Map<String, String> labels = Map.of("team", "a", "env", "prod");
        return Stream.of(
                Arguments.of(List.of("team=a"), labels, true, "team=a"),
                Arguments.of(List.of("team:a"), labels, true, "team=a"),
                Arguments.of(List.of("team:*"), labels, true, "team"),
                Arguments.of(List.of("team=*"), labels, true, "team"),
                Arguments.of(List.of("team=b"), labels, false, "team=b"),
                Arguments.of(List.of("team=a", "env!=prod"), labels, false, "team=a,env!=prod"),
                Arguments.of(List.of("env in (prod,dev)"), labels, true, "env in (prod,dev)"),
                Arguments.of(List.of("env notin (prod)"), labels, false, "env notin (prod)"),
                Arguments.of(List.of("!missing"), labels, true, "!missing"),
                Arguments.of(List.of("missing"), labels, false, "missing"));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("cases")
    void normalisesAndMatches(List<String> items, Map<String, String> labels, boolean matches, String text) {
        LabelSelector s = LabelSelector.fromFlagItems(items);
        assertThat(s.toString()).isEqualTo(text);
        assertThat(s.matches(labels)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"team==a==b", "-bad=x", "a=b c", "x in (a", "key=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"})
    void rejectsInvalid(String text) {
        assertThatThrownBy(() -> LabelSelector.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
