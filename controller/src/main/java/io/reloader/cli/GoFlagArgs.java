package io.reloader.cli;

import io.reloader.config.GoBool;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites arguments so picocli parses them the way Go's pflag does (docs/compatibility.md#flags-and-environment): a bool flag is bare
 * ({@code --flag}) or takes {@code =value} in Go-bool syntax, never a separate value; list flags are CSV.
 */
final class GoFlagArgs {
    private GoFlagArgs() {
    }

    static String[] normalize(String[] args, Set<String> boolFlags) {
        List<String> out = new ArrayList<>();
        boolean positionalOnly = false;
        for (String arg : args) {
            if (positionalOnly || !arg.startsWith("--")) {
                out.add(arg);
                positionalOnly |= arg.equals("--");
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (eq < 0 || !boolFlags.contains(name)) {
                out.add(arg);
                continue;
            }
            String value = arg.substring(eq + 1);
            Optional<Boolean> parsed = GoBool.parse(value);
            if (parsed.isEmpty()) {
                throw new FlagException("invalid argument \"" + value + "\" for \"" + name
                        + "\" flag: strconv.ParseBool: parsing \"" + value + "\": invalid syntax"
                        + " (allowed: true, false, 1, 0, t, f, TRUE, FALSE, True, False)");
            }
            if (parsed.get()) {
                out.add(name);
            }
        }
        return out.toArray(String[]::new);
    }

    /** Parses one list-flag occurrence as a CSV record, as pflag's string slices do. */
    static List<String> csv(String value) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < value.length() && value.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
            } else {
                field.append(c);
                fieldStart = false;
            }
        }
        if (quoted) {
            throw new FlagException("invalid list value " + value + ": unterminated quote");
        }
        fields.add(field.toString());
        return fields;
    }

    static List<String> csvAll(List<String> occurrences) {
        List<String> all = new ArrayList<>();
        for (String o : occurrences) {
            if (!o.isEmpty()) {
                all.addAll(csv(o));
            }
        }
        return all;
    }
}
