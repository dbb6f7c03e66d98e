package io.reloader.cli;

import io.reloader.config.GoBool;
import io.reloader.config.GoDuration;
import io.reloader.config.LabelSelector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Parses flag values; every failure is a {@link FlagException} naming the flag and what it accepts. */
final class FlagValues {
    private FlagValues() {
    }

    static LabelSelector selector(String flag, List<String> occurrences) {
        List<String> items = GoFlagArgs.csvAll(occurrences);
        if (items.stream().allMatch(String::isBlank)) {
            return null;
        }
        try {
            return LabelSelector.fromFlagItems(items);
        } catch (IllegalArgumentException e) {
            throw new FlagException("invalid " + flag + " '" + String.join(",", items) + "': " + e.getMessage()
                    + " (expected a label selector such as 'team=a,tier!=db', 'env in (a,b)', 'key' or 'key:value')");
        }
    }

    static Duration duration(String flag, String text) {
        try {
            Duration d = GoDuration.parse(text);
            if (d.isNegative()) {
                throw new IllegalArgumentException("must not be negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new FlagException("invalid " + flag + " '" + text + "': " + e.getMessage()
                    + " (expected a duration such as 2s, 500ms or 0s)");
        }
    }

    static void requireEnv(Map<String, String> env, String name) {
        if (env.getOrDefault(name, "").isEmpty()) {
            throw new FlagException(name + " not set, cannot run in HA mode without " + name + " set");
        }
    }

    static boolean bool(String flag, String value) {
        return GoBool.parse(value).orElseThrow(() -> new FlagException("invalid argument \""
                + value + "\" for \"" + flag + "\" flag: strconv.ParseBool: parsing \"" + value
                + "\": invalid syntax (allowed: true, false, 1, 0, t, f, TRUE, FALSE, True, False)"));
    }

    static List<String> trimmed(List<String> values) {
        return values.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static List<String> dedupe(List<String> values) {
        return new ArrayList<>(new LinkedHashSet<>(FlagValues.trimmed(values)));
    }

    /** Go's {@code [host]:port} listen address; an empty host listens on every interface. */
    static java.net.InetSocketAddress address(String flag, String value) {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon < 0) {
            throw new FlagException(flag + " must be [host]:port (e.g. ':6060' or 'localhost:6060'), not '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new FlagException(flag + " must be [host]:port with a port between 0 and 65535, not '" + value + "'");
        }
        return host.isEmpty() ? new java.net.InetSocketAddress(port) : new java.net.InetSocketAddress(host, port);
    }
}
