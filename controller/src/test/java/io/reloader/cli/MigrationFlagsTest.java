package io.reloader.cli;

import io.reloader.config.HttpOptions;
import io.reloader.config.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reloader v2's flags: v1's layout unless given, v2's defaults once given, bad values named. */
class MigrationFlagsTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void withoutV2AddressesHttpPortServesEverythingAsInV1() {
        HttpOptions http = ControllerFlags.parse(NO_ENV).http();
        assertThat(http.separate()).isFalse();
        assertThat(http.port()).isEqualTo(9090);
        assertThat(ControllerFlags.parse(NO_ENV, "--http-port=9191").http().port()).isEqualTo(9191);
    }

    @Test
    void oneV2AddressSeparatesBothWithV2sDefaultForTheOther() {
        HttpOptions metricsGiven = ControllerFlags.parse(NO_ENV, "--metrics-addr=127.0.0.1:9191").http();
        assertThat(metricsGiven.separate()).isTrue();
        assertThat(metricsGiven.metricsAddress().getPort()).isEqualTo(9191);
        assertThat(metricsGiven.metricsAddress().getHostString()).isEqualTo("127.0.0.1");
        assertThat(metricsGiven.healthAddress().getPort()).isEqualTo(8080);
        HttpOptions healthGiven = ControllerFlags.parse(NO_ENV, "--health-addr", ":8181").http();
        assertThat(healthGiven.metricsAddress().getPort()).isEqualTo(9090);
        assertThat(healthGiven.healthAddress().getPort()).isEqualTo(8181);
        HttpOptions off = ControllerFlags.parse(NO_ENV, "--metrics-addr=0", "--health-addr=:8181").http();
        assertThat(off.metricsAddress()).as("0 turns it off, as in controller-runtime").isNull();
    }

    @Test
    void httpPortSetBesideAV2AddressIsReportedAsUnused() {
        ControllerFlags flags = new ControllerFlags();
        new picocli.CommandLine(flags).parseArgs("--http-port=0", "--health-addr=:8181");
        flags.toOptions(NO_ENV);
        assertThat(flags.warnings).anyMatch(w -> w.startsWith("--http-port is not used"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--metrics-addr=9090|--metrics-addr must be [host]:port",
            "--health-addr=:99999|--health-addr must be [host]:port with a port between 0 and 65535",
            "--is-openshift=maybe|--is-openshift must be one of: true, false, auto, not 'maybe'"})
    void badValuesNameTheFlag(String arg, String message) {
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, arg)).isInstanceOf(FlagException.class)
                .hasMessageContaining(message);
    }

    @Test
    void isOpenshiftTrueReloadsDeploymentConfigsAndTheDefaultDoesNot() {
        assertThat(ControllerFlags.parse(NO_ENV).scope().customKinds()).isEmpty();
        assertThat(ControllerFlags.parse(NO_ENV, "--is-openshift=false").scope().customKinds()).isEmpty();
        assertThat(ControllerFlags.parse(NO_ENV, "--is-openshift=auto").scope().customKinds())
                .as("auto adds them once the platform is detected, in Main").isEmpty();
        Options on = ControllerFlags.parse(NO_ENV, "--is-openshift=TRUE");
        assertThat(on.scope().customKinds()).singleElement().hasToString("apps.openshift.io/v1/DeploymentConfig");
        assertThat(on.withScope(on.scope().withCustomKind(MigrationFlags.DEPLOYMENT_CONFIG)).scope().customKinds())
                .hasSize(1);
    }

    @Test
    void isOpenshiftModes() {
        assertThat(parse("--is-openshift=true").openShift()).isEqualTo(MigrationFlags.OpenShift.TRUE);
        assertThat(parse("--is-openshift", " False ").openShift()).isEqualTo(MigrationFlags.OpenShift.FALSE);
        assertThat(parse("--is-openshift=").openShift()).as("v2: empty is auto").isEqualTo(MigrationFlags.OpenShift.AUTO);
        assertThat(parse().openShift()).isEqualTo(MigrationFlags.OpenShift.UNSET);
        assertThat(MigrationFlags.OpenShift.TRUE.environment()).isEqualTo("Openshift");
        assertThat(MigrationFlags.OpenShift.AUTO.environment()).isNull();
    }

    @Test
    void enableCsiIntegrationIsTheSameFlagInBothGenerations() {
        assertThat(ControllerFlags.parse(NO_ENV, "--enable-csi-integration").scope().csi()).isTrue();
        assertThat(ControllerFlags.parse(NO_ENV, "--enable-csi-integration=false").scope().csi()).isFalse();
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--enable-csi-integration=perhaps"))
                .hasMessageContaining("enable-csi-integration");
    }

    private static MigrationFlags parse(String... args) {
        ControllerFlags flags = new ControllerFlags();
        new picocli.CommandLine(flags).parseArgs(args);
        return flags.v2;
    }
}
