package io.reloader.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
    void goTrue(String text) {
        assertThat(GoBool.parse(text)).contains(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
    void goFalse(String text) {
        assertThat(GoBool.parse(text)).contains(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tRUE", "yes", "on", " true", "true ", "", "my-configmap,my-secret"})
    void notABool(String text) {
        assertThat(GoBool.parse(text)).isEqualTo(Optional.empty());
        assertThat(GoBool.isTrue(text)).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource({"90s, 90000", "1h30m, 5400000", "1.5h, 5400000", "0, 0", "300ms, 300", "2s, 2000", "1m0.5s, 60500"})
    void parsesDurations(String text, long millis) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1d", "5", "abc", "1.2.3s", "s"})
    void rejectsInvalidDurations(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("time: ");
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"300000, 5m0s", "3600000, 1h0m0s", "300, 300ms", "0, 0s", "2000, 2s", "90500, 1m30.5s"})
    void formatsLikeGo(long millis, String expected) {
        assertThat(GoDuration.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @Test
    void trimsUnicodeSpaceLikeGo() {
        assertThat(GoStrings.trimSpace("\u00a0 app\t\u2003")).isEqualTo("app");
        assertThat(GoStrings.trimSpace("   ")).isEmpty();
    }
}
