package io.reloader.strategy;

import io.reloader.model.SourceType;
import io.reloader.spec.References;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Reloader's env var naming (docs/compatibility.md#strategies): {@code STAKATER_<MANGLED NAME>_<TYPE>}. */
public final class EnvVarNames {
    private EnvVarNames() {
    }

    public static String of(String sourceName, SourceType type) {
        return "STAKATER_" + mangle(sourceName) + "_" + type.name();
    }

    /**
     * Referenced sources whose variables would share one name ({@code app-config} and {@code app.config}): each
     * change overwrites the other's value. Returns the variable and the colliding source names.
     */
    public static Map<String, List<String>> collisions(
            Collection<References.Ref> refs) {
        Map<String, List<String>> byVar = new TreeMap<>();
        for (References.Ref r : refs) {
            byVar.computeIfAbsent(of(r.name(), r.type()), v -> new ArrayList<>()).add(r.name());
        }
        byVar.values().removeIf(names -> names.stream().distinct().count() < 2);
        return byVar;
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
