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
}
