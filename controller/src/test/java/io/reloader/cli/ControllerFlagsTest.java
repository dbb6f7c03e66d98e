package io.reloader.cli;

import io.reloader.config.Options;
import io.reloader.config.ReloadStrategyType;
import io.reloader.model.SourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControllerFlagsTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void defaultsAreReloaders() {
        Options o = ControllerFlags.parse(NO_ENV);
        assertThat(o.reload().strategy()).isEqualTo(ReloadStrategyType.ENV_VARS);
        assertThat(o.reload().autoReloadAll()).isFalse();
        assertThat(o.reload().reloadOnCreate()).isFalse();
        assertThat(o.reload().reloadOnDelete()).isFalse();
        assertThat(o.scope().globalMode()).isTrue();
        assertThat(o.scope().watchedTypes()).containsExactlyInAnyOrder(SourceType.CONFIGMAP, SourceType.SECRET);
        assertThat(o.fieldManager()).isEqualTo("Reloader");
        assertThat(o.http().port()).isEqualTo(9090);
        assertThat(o.timing().coalesceWindow()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.keys().auto()).isEqualTo("reloader.stakater.com/auto");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--reload-strategy=rolling | reload-strategy must be one of: env-vars, annotations",
            "--resources-to-ignore=pods | 'resources-to-ignore' only accepts 'configmaps' or 'secrets', not 'pods'",
            "--resources-to-ignore=configmaps,secrets | 'resources-to-ignore' only accepts 'configmaps' or 'secrets', not both",
            "--log-format=xml | --log-format must be one of: json, text",
            "--log-level=verbose | --log-level must be one of: trace, debug, info, warn, warning, error, fatal, panic",
            "--namespace-selector=-bad | invalid --namespace-selector",
            "--resource-label-selector=a=b c | invalid --resource-label-selector",
            "--http-port=70000 | --http-port must be between 0 and 65535",
            "--field-manager=kubectl-edit | --field-manager must be a non-empty name",
            "--coalesce-window=2 | invalid --coalesce-window '2'",
            "--auto-reload-all=yes | invalid argument \"yes\" for \"--auto-reload-all\" flag",
    })
    void badValuesNameTheFlagAndTheAllowedValues(String arg, String message) {
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, arg)).isInstanceOf(FlagException.class)
                .hasMessageContaining(message);
    }

    @Test
    void timingFlags() {
        var timing = ControllerFlags.parse(NO_ENV, "--quiet-period=1s", "--coalesce-window=5s",
                "--reload-window=Sat 10:00-12:00 UTC").timing();
        assertThat(timing.settle()).isEqualTo(new io.reloader.config.TimingOptions.Settle(java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(5)));
        assertThat(timing.reloadWindow()).hasToString("Sat 10:00-12:00 UTC");
        assertThat(ControllerFlags.parse(NO_ENV).timing().quietPeriod()).isEqualTo(java.time.Duration.ofMillis(300));
        assertThat(ControllerFlags.parse(NO_ENV, "--coalesce-window=0s").timing().settle())
                .as("0s writes per event, as Reloader").isEqualTo(io.reloader.config.TimingOptions.Settle.IMMEDIATE);
        assertThat(ControllerFlags.parse(NO_ENV, "--keep-stale-env-vars").reload().keepStaleEnvVars()).isTrue();
        assertThat(ControllerFlags.parse(NO_ENV).reload().keepStaleEnvVars()).isFalse();
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--reload-window=Sometimes"))
                .isInstanceOf(FlagException.class).hasMessageContaining("invalid --reload-window 'Sometimes'");
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--quiet-period=soon"))
                .isInstanceOf(FlagException.class).hasMessageContaining("--quiet-period");
    }

    @Test
    void flapWindow() {
        assertThat(ControllerFlags.parse(NO_ENV).timing().flapWindow()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(ControllerFlags.parse(NO_ENV, "--flap-window=2s").timing().flapWindow())
                .isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(ControllerFlags.parse(NO_ENV, "--flap-window=0").timing().flapWindow()).as("off").isZero();
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--flap-window=often"))
                .isInstanceOf(FlagException.class).hasMessageContaining("invalid --flap-window 'often'");
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--flap-window=-1m"))
                .isInstanceOf(FlagException.class).hasMessageContaining("--flap-window");
        java.io.PrintStream err = System.err;
        try {
            System.setErr(new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
            assertThat(Main.run(new String[] {"--flap-window=often"}, NO_ENV)).isEqualTo(1);
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void aPprofAddressThatCannotBeServedIsRefusedWhenEnabled() {
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--enable-pprof", "--pprof-addr=6060"))
                .isInstanceOf(FlagException.class)
                .hasMessageContaining("--pprof-addr must be [host]:port (e.g. ':6060' or 'localhost:6060'), not '6060'");
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--enable-pprof", "--pprof-addr=:99999"))
                .isInstanceOf(FlagException.class).hasMessageContaining("port between 0 and 65535");
        assertThat(ControllerFlags.parse(NO_ENV, "--pprof-addr=whatever").http().pprofAddress())
                .as("ignored without --enable-pprof, as in Reloader").isNull();
    }

    @Test
    void boolFlagsTakeGoBoolsOnlyWithEquals() {
        assertThat(ControllerFlags.parse(NO_ENV, "--auto-reload-all").reload().autoReloadAll()).isTrue();
        assertThat(ControllerFlags.parse(NO_ENV, "--auto-reload-all=T").reload().autoReloadAll()).isTrue();
        assertThat(ControllerFlags.parse(NO_ENV, "--auto-reload-all=0").reload().autoReloadAll()).isFalse();
    }

    @Test
    void stringSwitchesNeedExactlyTrue() {
        assertThat(ControllerFlags.parse(NO_ENV, "--reload-on-create=true").reload().reloadOnCreate()).isTrue();
        assertThat(ControllerFlags.parse(NO_ENV, "--reload-on-create=True").reload().reloadOnCreate()).isFalse();
        assertThat(ControllerFlags.parse(NO_ENV, "--reload-on-delete", "true").reload().reloadOnDelete()).isTrue();
    }

    @Test
    void listFlagsAreCsvAndAccumulate() {
        Options o = ControllerFlags.parse(NO_ENV, "--namespaces=b,a", "--namespaces", "c,a");
        assertThat(o.scope().namespaces()).containsExactly("b", "a", "c");
        assertThat(o.scope().globalMode()).isFalse();
        Options quoted = ControllerFlags.parse(NO_ENV, "--namespace-selector=\"env in (a,b)\"");
        assertThat(quoted.scope().namespaceSelector().toString()).isEqualTo("env in (a,b)");
    }

    @Test
    void scopePrecedence() {
        assertThat(ControllerFlags.parse(Map.of("KUBERNETES_NAMESPACE", "single")).scope().namespaces()).containsExactly("single");
        assertThat(ControllerFlags.parse(Map.of("KUBERNETES_NAMESPACE", "single"), "--namespaces=x").scope().namespaces())
                .containsExactly("x");
        Options global = ControllerFlags.parse(NO_ENV, "--namespaces-to-ignore=kube-system,flux-system");
        assertThat(global.scope().namespacesToIgnore()).isEqualTo(Set.of("kube-system", "flux-system"));
        Options single = ControllerFlags.parse(Map.of("KUBERNETES_NAMESPACE", "single"), "--namespaces-to-ignore=x");
        assertThat(single.scope().namespacesToIgnore()).isEmpty();
    }

    @Test
    void renamingFlagsRenameKeys() {
        Options o = ControllerFlags.parse(NO_ENV, "--auto-annotation=my/auto", "--configmap-annotation", "my/cm",
                "--resources-to-ignore=SECRETS");
        assertThat(o.keys().auto()).isEqualTo("my/auto");
        assertThat(o.keys().configmapReload()).isEqualTo("my/cm");
        assertThat(o.scope().watchedTypes()).containsExactly(SourceType.CONFIGMAP);
    }

    @Test
    void haNeedsPodIdentity() {
        assertThatThrownBy(() -> ControllerFlags.parse(NO_ENV, "--enable-ha"))
                .hasMessage("POD_NAME not set, cannot run in HA mode without POD_NAME set");
    }

    @Test
    void csvHandlesQuotes() {
        assertThat(GoFlagArgs.csv("a,\"b,c\",d")).isEqualTo(List.of("a", "b,c", "d"));
        assertThat(GoFlagArgs.csv("\"say \"\"hi\"\"\"")).isEqualTo(List.of("say \"hi\""));
    }

    @Test
    void mainExitsOneWithTheMessageOnABadFlag() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(new String[] {"--reload-strategy=bogus"}, NO_ENV)).isEqualTo(1);
            assertThat(Main.run(new String[] {"--no-such-flag"}, NO_ENV)).isEqualTo(1);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("reload-strategy must be one of: env-vars, annotations")
                .contains("--no-such-flag");
    }
}
