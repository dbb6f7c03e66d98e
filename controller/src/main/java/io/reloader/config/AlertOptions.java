package io.reloader.config;

import java.net.InetSocketAddress;

/**
 * Reload alerts (Reloader's {@code ALERT_*} variables, v2's {@code --alert-*} flags), read once by the CLI.
 *
 * @param enabled        send an alert after each reload
 * @param webhookUrl     the validated target; empty when enabled without one (logged, then no alerts)
 * @param sink           slack, teams, gchat, or anything else for raw (trimmed, lower-cased)
 * @param additionalInfo prefix of every message; empty for none
 * @param structured     raw sink: v2's JSON object instead of plain text
 * @param proxy          HTTP proxy for the alert requests, or null
 */
public record AlertOptions(boolean enabled, String webhookUrl, String sink, String additionalInfo, boolean structured,
                           InetSocketAddress proxy) {
    public static final AlertOptions OFF = new AlertOptions(false, "", "", "", false, null);

    /** Never the URL itself: its path or query may be the token. */
    @Override
    public String toString() {
        String target;
        try {
            java.net.URI u = java.net.URI.create(webhookUrl);
            target = u.getHost() == null ? "" : u.getScheme() + "://" + u.getHost() + "/\u2026";
        } catch (IllegalArgumentException e) {
            target = "";
        }
        return "AlertOptions[enabled=" + enabled + ", webhookUrl=" + target + ", sink=" + sink + ", structured="
                + structured + "]";
    }

    /** The sink's name as metrics label it: one of slack, teams, gchat, raw. */
    public String sinkLabel() {
        return switch (sink) {
            case "slack", "teams", "gchat" -> sink;
            default -> "raw";
        };
    }
}
