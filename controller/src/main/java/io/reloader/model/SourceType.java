package io.reloader.model;

import java.util.Locale;

/** The kinds of source whose change can trigger a reload (Reloader's TYPE, and this project's SERVICEACCOUNT). */
public enum SourceType {
    CONFIGMAP("configmaps"),
    SECRET("secrets"),
    SECRETPROVIDERCLASS("secretproviderclasspodstatuses"),
    /**
     * {@code --reload-on-serviceaccount-change}: the workload identity annotations of the ServiceAccount a pod
     * template runs as (project extension). Not a data source: no reload, typed auto or exclude annotation.
     */
    SERVICEACCOUNT("serviceaccounts");

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
