package io.reloader.cli;

import io.reloader.config.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceAccountFlagsTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void offByDefaultWithTheThreeCloudIdentityAnnotations() {
        Options o = ControllerFlags.parse(NO_ENV);
        assertThat(o.scope().serviceAccounts().enabled()).isFalse();
        assertThat(o.scope().serviceAccounts().annotations()).containsExactly("eks.amazonaws.com/role-arn",
                "azure.workload.identity/client-id", "iam.gke.io/gcp-service-account");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--reload-on-serviceaccount-change", "--reload-on-serviceaccount-change=true",
            "--reload-on-serviceaccount-change=1", "--reload-on-serviceaccount-change=T"})
    void theSwitchIsAGoBool(String arg) {
        assertThat(ControllerFlags.parse(NO_ENV, arg).scope().serviceAccounts().enabled()).isTrue();
    }

    @Test
    void falseTurnsItOff() {
        assertThat(ControllerFlags.parse(NO_ENV, "--reload-on-serviceaccount-change=false").scope().serviceAccounts()
                .enabled()).isFalse();
    }

    @Test
    void theListIsCommaSeparatedTrimmedAndDeduplicated() {
        Options o = ControllerFlags.parse(NO_ENV, "--serviceaccount-annotations= example.com/role , a,example.com/role",
                "--serviceaccount-annotations", "b.io/x");
        assertThat(o.scope().serviceAccounts().annotations()).containsExactly("example.com/role", "a", "b.io/x");
    }

    @Test
    void aBadBoolFailsNamingTheFlag() {
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--reload-on-serviceaccount-change=yes"))
                .isInstanceOf(FlagException.class).hasMessageContaining("--reload-on-serviceaccount-change")
                .hasMessageContaining("allowed: true, false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad_Prefix/role", "/role", "example.com/", "a b", "example.com/-x", "x/y/z"})
    void anInvalidKeyFailsNamingTheFlag(String key) {
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--serviceaccount-annotations=" + key))
                .isInstanceOf(FlagException.class).hasMessageContaining("--serviceaccount-annotations")
                .hasMessageContaining(key.trim());
    }

    @Test
    void anEmptyListFails() {
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--serviceaccount-annotations="))
                .isInstanceOf(FlagException.class).hasMessageContaining("--serviceaccount-annotations must name at least one");
    }

    @Test
    void mainExitsOneOnABadValue() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(new String[] {"--serviceaccount-annotations=not a key"}, NO_ENV)).isEqualTo(1);
            assertThat(Main.run(new String[] {"--reload-on-serviceaccount-change=maybe"}, NO_ENV)).isEqualTo(1);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--serviceaccount-annotations")
                .contains("--reload-on-serviceaccount-change");
    }
}
