package io.reloader.model;

import java.util.Locale;

/** The kinds of configuration source whose data change can trigger a reload (Reloader's TYPE). */
public enum SourceType {
    CONFIGMAP("configmaps"),
    SECRET("secrets"),
    SECRETPROVIDERCLASS("secretproviderclasspodstatuses");

    private final String resource;

    SourceType(String resource) {
        this.resource = resource;
    }

    /** The plural API resource name, as used in metric labels and Event source components. */
    public String resource() {
        return resource;
    }

    /** Parses a {@code --resources-to-ignore} entry (case-insensitive). */
    public static SourceType fromIgnoreEntry(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "configmaps" -> CONFIGMAP;
            case "secrets" -> SECRET;
            default -> null;
        };
    }
}
