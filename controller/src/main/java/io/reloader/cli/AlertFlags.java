package io.reloader.cli;

import io.reloader.config.AlertOptions;
import io.reloader.config.GoBool;
import io.reloader.report.Redaction;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * Reload alerts: Reloader v2's {@code --alert-*} flags, each also read from the environment variable of the same
 * name ({@code ALERT_ON_RELOAD}, ...), which are v1's variables where v1 had one. A flag beats its variable.
 * v1's rules stay for v1's variables: alerts need {@code ALERT_ON_RELOAD} exactly {@code true}, and the proxy is
 * also read from {@code ALERT_WEBHOOK_PROXY}. As in v2, {@code --alert-webhook-url} on the command line turns
 * alerts on unless {@code --alert-on-reload=false} says otherwise.
 */
final class AlertFlags {
    @Option(names = "--alert-on-reload", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Send an alert after each reload (env ALERT_ON_RELOAD)")
    String onReload;

    @Option(names = "--alert-sink", paramLabel = "SINK", description = "slack, teams, gchat, or raw (the default) "
            + "(env ALERT_SINK)")
    String sink;

    @Option(names = "--alert-webhook-url", paramLabel = "URL", description = "Where alerts are posted; turns alerts "
            + "on (env ALERT_WEBHOOK_URL)")
    String webhookUrl;

    @Option(names = "--alert-additional-info", paramLabel = "TEXT", description = "Prefix of every alert, e.g. the "
            + "cluster's name (env ALERT_ADDITIONAL_INFO)")
    String additionalInfo;

    @Option(names = "--alert-structured", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Raw sink: post a JSON object instead of plain text (env ALERT_STRUCTURED)")
    String structured;

    @Option(names = "--alert-proxy", paramLabel = "URL", description = "HTTP proxy for alerts, http://host:port "
            + "(env ALERT_PROXY, or v1's ALERT_WEBHOOK_PROXY)")
    String proxy;

    AlertOptions toOptions(Map<String, String> env) {
        boolean enabled;
        if (onReload != null) {
            enabled = FlagValues.bool("--alert-on-reload", onReload);
        } else {
            enabled = "true".equals(env.getOrDefault("ALERT_ON_RELOAD", "")) || (webhookUrl != null && !webhookUrl.isBlank());
        }
        Setting url = Setting.of("--alert-webhook-url", webhookUrl, env, "ALERT_WEBHOOK_URL");
        Setting proxySetting = Setting.of("--alert-proxy", proxy, env, "ALERT_PROXY", "ALERT_WEBHOOK_PROXY");
        boolean json;
        if (structured != null) {
            json = FlagValues.bool("--alert-structured", structured);
        } else {
            String v = env.getOrDefault("ALERT_STRUCTURED", "").trim();
            json = !v.isEmpty() && GoBool.parse(v).orElseThrow(() -> new FlagException("invalid ALERT_STRUCTURED '"
                    + v + "' (allowed: true, false, 1, 0, t, f, TRUE, FALSE, True, False)"));
        }
        // Checked even while alerts are off: a URL that is set is meant to work.
        String target = url.value().isEmpty() ? "" : httpUrl(url.source(), url.value());
        InetSocketAddress proxyAddress = proxySetting.value().isEmpty() ? null
                : proxyAddress(proxySetting.source(), proxySetting.value());
        if (!enabled) {
            return AlertOptions.OFF;
        }
        return new AlertOptions(true, target,
                Setting.of("--alert-sink", sink, env, "ALERT_SINK").value().toLowerCase(Locale.ROOT),
                Setting.of("--alert-additional-info", additionalInfo, env, "ALERT_ADDITIONAL_INFO").value(), json,
                proxyAddress);
    }

    /**
     * A webhook URL checked at start: absolute http or https with a host. The message names the flag or variable
     * and shows the URL only redacted (its path may be the token).
     */
    static String httpUrl(String source, String value) {
        String v = value.trim();
        try {
            URI u = new URI(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && !u.getHost().isEmpty()
                    && u.getPort() <= 65535) {
                return v;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new FlagException("invalid " + source + " '" + Redaction.url(v) + "': expected an absolute http or "
                + "https URL with a host, such as https://hooks.slack.com/services/...");
    }

    /** {@code http://host:port} or {@code host:port}; the JDK client speaks to HTTP proxies only. */
    static InetSocketAddress proxyAddress(String source, String value) {
        String v = value.trim();
        try {
            URI u = new URI(v.contains("://") ? v : "http://" + v);
            if ("http".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && u.getPort() <= 65535) {
                return InetSocketAddress.createUnresolved(u.getHost(), u.getPort() < 0 ? 80 : u.getPort());
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new FlagException("invalid " + source + " '" + Redaction.url(v) + "': expected an HTTP proxy such as "
                + "http://proxy.example:3128 or proxy.example:3128");
    }

    /** A value with where it came from: the flag if given, else the first variable set. */
    private record Setting(String source, String value) {
        static Setting of(String flag, String flagValue, Map<String, String> env, String... variables) {
            if (flagValue != null) {
                return new Setting(flag, flagValue.trim());
            }
            for (String name : variables) {
                String v = env.getOrDefault(name, "").trim();
                if (!v.isEmpty()) {
                    return new Setting(name, v);
                }
            }
            return new Setting(flag, "");
        }
    }
}
