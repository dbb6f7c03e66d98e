package io.reloader.strategy;

import io.reloader.config.SourceType;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reloader's env var naming (spec §6.1): {@code STAKATER_<MANGLED NAME>_<TYPE>}. */
public final class EnvVarNames {
    private EnvVarNames() {
    }

    public static String of(String sourceName, SourceType type) {
        return "STAKATER_" + mangle(sourceName) + "_" + type.name();
    }

    /** Upper-cases, keeps A-Z and 0-9, and turns each run of other bytes into one '_' (none at the start). */
    static String mangle(String name) {
        byte[] bytes = name.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        boolean lastKept = false;
        for (byte b : bytes) {
            boolean keep = (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
            if (keep) {
                out.append((char) b);
                lastKept = true;
            } else if (lastKept) {
                out.append('_');
                lastKept = false;
            }
        }
        return out.toString();
    }
}
