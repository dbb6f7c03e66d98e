package io.reloader.model;

/** Why a workload follows a source: a named pattern (no reference needed) or auto/search (reference needed). */
public enum ReloadMode {
    NAMED, AUTO
}
