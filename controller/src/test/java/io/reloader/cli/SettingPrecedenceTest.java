package io.reloader.cli;

import io.reloader.config.Options;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a setting comes from when a flag and environment variables can both set it (README "Where a setting comes
 * from"): the flag, then v2's variable, then v1's variable, then the default. The environment is injected, as
 * {@code Main} does with the process environment, so each row says exactly what was set.
 */
class SettingPrecedenceTest {
    private static final String URL = "ALERT_WEBHOOK_URL=https://env.example/hook";

    /** One row: the variables set ({@code NAME=value}), the flags given, what is read and what it must be. */
    record Row(String setting, List<String> env, List<String> flags, Function<Options, Object> read, Object expected) {
        @Override
        public String toString() {
            return setting + ": env " + env + ", flags " + flags + " -> " + expected;
        }
    }

    private static Row row(String setting, List<String> env, List<String> flags, Function<Options, Object> read,
                           Object expected) {
        return new Row(setting, env, flags, read, expected);
    }

    private static final Function<Options, Object> NAMESPACES = o -> o.scope().namespaces();
    private static final Function<Options, Object> ALERTS_ON = o -> o.alerts().enabled();
    private static final Function<Options, Object> SINK = o -> o.alerts().sink();
    private static final Function<Options, Object> ALERT_URL = o -> o.alerts().webhookUrl();
    private static final Function<Options, Object> INFO = o -> o.alerts().additionalInfo();
    private static final Function<Options, Object> STRUCTURED = o -> o.alerts().structured();
    private static final Function<Options, Object> PROXY = o -> o.alerts().proxy() == null ? null
            : o.alerts().proxy().getHostString();
    private static final Function<Options, Object> LEASE_NS = o -> o.ha().namespace();
    private static final Function<Options, Object> IDENTITY = o -> o.ha().identity();
    private static final Function<Options, Object> SELF = o -> o.self().namespace() + "/" + o.self().deploymentName();
    private static final Function<Options, Object> BY_NS = o -> o.self().metricsByNamespace();

    static Stream<Row> rows() {
        return Stream.of(
                row("watched namespaces", List.of(), List.of(), NAMESPACES, List.of()),
                row("watched namespaces", List.of("KUBERNETES_NAMESPACE=single"), List.of(), NAMESPACES, List.of("single")),
                row("watched namespaces", List.of("KUBERNETES_NAMESPACE=single"), List.of("--namespaces=a,b"), NAMESPACES,
                        List.of("a", "b")),
                row("alerts on", List.of(), List.of(), ALERTS_ON, false),
                row("alerts on", List.of("ALERT_ON_RELOAD=true", URL), List.of(), ALERTS_ON, true),
                row("alerts on", List.of("ALERT_ON_RELOAD=TRUE", URL), List.of(), ALERTS_ON, false), // v1: exactly "true"
                row("alerts on", List.of(URL), List.of(), ALERTS_ON, false), // v1's URL alone turns nothing on
                row("alerts on", List.of(), List.of("--alert-webhook-url=https://flag.example/h"), ALERTS_ON, true),
                row("alerts on", List.of("ALERT_ON_RELOAD=true", URL), List.of("--alert-on-reload=false"), ALERTS_ON, false),
                row("alerts on", List.of(URL), List.of("--alert-on-reload"), ALERTS_ON, true),
                row("alert sink", List.of("ALERT_ON_RELOAD=true", URL, "ALERT_SINK=teams"), List.of(), SINK, "teams"),
                row("alert sink", List.of("ALERT_ON_RELOAD=true", URL, "ALERT_SINK=teams"), List.of("--alert-sink=slack"),
                        SINK, "slack"),
                row("alert URL", List.of("ALERT_ON_RELOAD=true", URL), List.of(), ALERT_URL, "https://env.example/hook"),
                row("alert URL", List.of("ALERT_ON_RELOAD=true", URL), List.of("--alert-webhook-url=https://flag.example/h"),
                        ALERT_URL, "https://flag.example/h"),
                row("alert prefix", List.of("ALERT_ON_RELOAD=true", URL, "ALERT_ADDITIONAL_INFO=env"), List.of(), INFO, "env"),
                row("alert prefix", List.of("ALERT_ON_RELOAD=true", URL, "ALERT_ADDITIONAL_INFO=env"),
                        List.of("--alert-additional-info=flag"), INFO, "flag"),
                row("structured", List.of("ALERT_ON_RELOAD=true", URL, "ALERT_STRUCTURED=true"), List.of(), STRUCTURED, true),
                row("structured", List.of("ALERT_ON_RELOAD=true", URL, "ALERT_STRUCTURED=true"),
                        List.of("--alert-structured=false"), STRUCTURED, false),
                row("alert proxy", List.of("ALERT_ON_RELOAD=true", URL, "ALERT_WEBHOOK_PROXY=v1:1"), List.of(), PROXY, "v1"),
                row("alert proxy", List.of("ALERT_ON_RELOAD=true", URL, "ALERT_WEBHOOK_PROXY=v1:1", "ALERT_PROXY=v2:1"),
                        List.of(), PROXY, "v2"),
                row("alert proxy", List.of("ALERT_ON_RELOAD=true", URL, "ALERT_WEBHOOK_PROXY=v1:1", "ALERT_PROXY=v2:1"),
                        List.of("--alert-proxy=flag:1"), PROXY, "flag"),
                row("Lease namespace", List.of("POD_NAME=p", "POD_NAMESPACE=pods"), List.of("--enable-ha"), LEASE_NS, "pods"),
                row("Lease namespace", List.of("POD_NAME=p", "POD_NAMESPACE=pods"),
                        List.of("--enable-ha", "--leader-election-namespace=ops"), LEASE_NS, "ops"),
                row("Lease identity", List.of("POD_NAME=p", "POD_NAMESPACE=pods"), List.of("--enable-ha"), IDENTITY, "p"),
                row("own Deployment", List.of(), List.of(), SELF, "/"),
                row("own Deployment", List.of("RELOADER_NAMESPACE=ops", "RELOADER_DEPLOYMENT_NAME=reloader"), List.of(),
                        SELF, "ops/reloader"),
                row("metrics by namespace", List.of(), List.of(), BY_NS, false),
                row("metrics by namespace", List.of("METRICS_COUNT_BY_NAMESPACE=true"), List.of(), BY_NS, false),
                row("metrics by namespace", List.of("METRICS_COUNT_BY_NAMESPACE=enabled"), List.of(), BY_NS, true));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void theFlagWinsThenTheVariablesThenTheDefault(Row row) {
        Map<String, String> env = new HashMap<>();
        row.env().forEach(e -> env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
        Options options = ControllerFlags.parse(env, row.flags().toArray(String[]::new));
        assertThat(row.read().apply(options)).as(row.toString()).isEqualTo(row.expected());
    }
}
