package io.reloader.cli;

import io.reloader.config.AlertOptions;
import io.reloader.config.HaOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reloader v2's alert and leader-election flags, their environment variables, precedence and validation. */
class AlertAndLeaderElectionFlagsTest {
    private static final Map<String, String> HA_ENV = Map.of("POD_NAME", "pod-a", "POD_NAMESPACE", "reloader");

    private static AlertOptions alerts(Map<String, String> env, String... args) {
        return ControllerFlags.parse(env, args).alerts();
    }

    @Test
    void v1sVariablesStillConfigureAlerts() {
        AlertOptions a = alerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_SINK", " Slack ", "ALERT_WEBHOOK_URL",
                " https://hooks.slack.com/services/T000/B000/XXXX ", "ALERT_ADDITIONAL_INFO", " prod ",
                "ALERT_WEBHOOK_PROXY", "proxy.example:3128"));
        assertThat(a.enabled()).isTrue();
        assertThat(a.sink()).isEqualTo("slack");
        assertThat(a.webhookUrl()).isEqualTo("https://hooks.slack.com/services/T000/B000/XXXX");
        assertThat(a.additionalInfo()).isEqualTo("prod");
        assertThat(a.proxy().getHostString()).isEqualTo("proxy.example");
        assertThat(a.proxy().getPort()).isEqualTo(3128);
        assertThat(a.structured()).isFalse();
    }

    @Test
    void v2sFlagsConfigureAlertsAndBeatTheVariables() {
        AlertOptions a = alerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_SINK", "teams", "ALERT_WEBHOOK_URL",
                        "https://env.example/hook", "ALERT_ADDITIONAL_INFO", "env", "ALERT_PROXY", "http://envproxy:1",
                        "ALERT_WEBHOOK_PROXY", "http://v1proxy:2"),
                "--alert-sink=raw", "--alert-webhook-url=https://discord.com/api/webhooks/1/tok",
                "--alert-additional-info=flag", "--alert-structured", "--alert-proxy=http://flagproxy:3");
        assertThat(a.sink()).isEqualTo("raw");
        assertThat(a.webhookUrl()).isEqualTo("https://discord.com/api/webhooks/1/tok");
        assertThat(a.additionalInfo()).isEqualTo("flag");
        assertThat(a.structured()).isTrue();
        assertThat(a.proxy().getHostString()).isEqualTo("flagproxy");
        assertThat(alerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_WEBHOOK_URL", "https://e/h"),
                "--alert-on-reload=false").enabled()).as("--alert-on-reload=false beats ALERT_ON_RELOAD").isFalse();
        assertThat(alerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_WEBHOOK_URL", "https://e/h", "ALERT_PROXY",
                "http://v2:1", "ALERT_WEBHOOK_PROXY", "http://v1:2")).proxy().getHostString())
                .as("v2's variable beats v1's").isEqualTo("v2");
    }

    @Test
    void v2sVariablesOfTheSameNameAreRead() {
        AlertOptions a = alerts(Map.of("ALERT_ON_RELOAD", "true", "ALERT_WEBHOOK_URL", "https://e/h",
                "ALERT_STRUCTURED", "true"));
        assertThat(a.structured()).isTrue();
        assertThatThrownBy(() -> alerts(Map.of("ALERT_STRUCTURED", "yes")))
                .isInstanceOf(FlagException.class).hasMessageContaining("ALERT_STRUCTURED");
    }

    @Test
    void whenAlertsAreOn() {
        assertThat(alerts(Map.of()).enabled()).isFalse();
        assertThat(alerts(Map.of("ALERT_ON_RELOAD", "True", "ALERT_WEBHOOK_URL", "https://e/h")).enabled())
                .as("v1: only exactly true").isFalse();
        assertThat(alerts(Map.of("ALERT_WEBHOOK_URL", "https://e/h")).enabled())
                .as("v1: the variable alone does not turn alerts on").isFalse();
        assertThat(alerts(Map.of(), "--alert-webhook-url=https://e/h").enabled()).as("v2: the flag does").isTrue();
        assertThat(alerts(Map.of(), "--alert-on-reload", "--alert-webhook-url=https://e/h").enabled()).isTrue();
        assertThat(alerts(Map.of("ALERT_ON_RELOAD", "true")).webhookUrl()).as("on without a URL: logged later").isEmpty();
        assertThatThrownBy(() -> alerts(Map.of(), "--alert-on-reload=maybe")).isInstanceOf(FlagException.class)
                .hasMessageContaining("--alert-on-reload");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--webhook-url=hooks.slack.com/services/T000/B000/XXXX|--webhook-url",
            "--webhook-url=ftp://hooks.slack.com/services/T000/B000/XXXX|--webhook-url",
            "--alert-webhook-url=https:///services/T000/B000/XXXX|--alert-webhook-url",
            "--alert-webhook-url=https://hooks.slack.com/services/T000/B000/XXXX|",
            "--alert-proxy=socks5://proxy:1080/XXXX|--alert-proxy",
    })
    void aBadUrlFailsAtStartNamingTheFlagWithoutTheToken(String arg, String flag) {
        if (flag == null) {
            ControllerFlags.parse(Map.of(), arg); // a good one
            return;
        }
        assertThatThrownBy(() -> ControllerFlags.parse(Map.of(), arg)).isInstanceOf(FlagException.class)
                .hasMessageContaining(flag).message().doesNotContain("XXXX").doesNotContain("T000");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ALERT_WEBHOOK_URL|https://xxx.webhook.office.com:99999/webhookb2/g@g/IncomingWebhook/XXXX/g",
            "ALERT_WEBHOOK_URL|discord.com/api/webhooks/123/XXXX",
            "ALERT_WEBHOOK_PROXY|ftp://proxy/XXXX",
            "ALERT_PROXY|https://proxy/XXXX",
    })
    void aBadVariableFailsAtStartNamingIt(String variable, String value) {
        Map<String, String> env = Map.of("ALERT_ON_RELOAD", "true", variable, value);
        assertThatThrownBy(() -> ControllerFlags.parse(env)).isInstanceOf(FlagException.class)
                .hasMessageContaining(variable).message().doesNotContain("XXXX");
    }

    @Test
    void theProcessExitsWithStatusOneOnABadUrl() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(new String[]{"--webhook-url=hooks.slack.com/services/T000/B000/XXXX"}, Map.of()))
                    .isEqualTo(1);
            assertThat(Main.run(new String[0], Map.of("ALERT_ON_RELOAD", "true", "ALERT_WEBHOOK_URL",
                    "discord.com/api/webhooks/123/XXXX"))).isEqualTo(1);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--webhook-url").contains("ALERT_WEBHOOK_URL")
                .doesNotContain("XXXX");
    }

    @Test
    void leaderElectionDefaultsAreV1s() {
        HaOptions ha = ControllerFlags.parse(HA_ENV, "--enable-ha").ha();
        assertThat(ha.leaseName()).isEqualTo("stakater-reloader-lock");
        assertThat(ha.namespace()).isEqualTo("reloader");
        assertThat(ha.identity()).isEqualTo("pod-a");
        assertThat(ha.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(ha.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ha.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ha.releaseOnCancel()).isTrue();
        assertThat(ha.writeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ha.electionRequestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ControllerFlags.parse(HA_ENV).ha()).isNull();
    }

    @Test
    void v2sLeaderElectionFlags() {
        HaOptions ha = ControllerFlags.parse(Map.of("POD_NAME", "pod-a"), "--enable-ha",
                "--leader-election-id=my-lock", "--leader-election-namespace=ops",
                "--leader-election-lease-duration=30s", "--leader-election-renew-deadline=20s",
                "--leader-election-retry-period=5s", "--leader-election-release-on-cancel=false").ha();
        assertThat(ha.leaseName()).isEqualTo("my-lock");
        assertThat(ha.namespace()).as("POD_NAMESPACE is not needed then").isEqualTo("ops");
        assertThat(ha.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ha.renewDeadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(ha.retryPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ha.releaseOnCancel()).isFalse();
        assertThat(ControllerFlags.parse(HA_ENV, "--enable-ha", "--leader-election-release-on-cancel").ha()
                .releaseOnCancel()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--leader-election-id=Not_A_Name|--leader-election-id",
            "--leader-election-id=|--leader-election-id",
            "--leader-election-namespace=Bad.Namespace|--leader-election-namespace",
            "--leader-election-lease-duration=soon|--leader-election-lease-duration",
            "--leader-election-renew-deadline=-1s|--leader-election-renew-deadline",
            "--leader-election-retry-period=0s|--leader-election-retry-period",
            "--leader-election-renew-deadline=15s|--leader-election-lease-duration",
            "--leader-election-retry-period=10s|--leader-election-renew-deadline",
            "--leader-election-release-on-cancel=maybe|--leader-election-release-on-cancel",
    })
    void aBadLeaderElectionValueFailsNamingTheFlag(String arg, String flag) {
        assertThatThrownBy(() -> ControllerFlags.parse(HA_ENV, "--enable-ha", arg)).isInstanceOf(FlagException.class)
                .hasMessageContaining(flag);
    }
}
