package io.reloader.watch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Global-mode namespace filters (docs/compatibility.md#decision-order): {@code --namespaces-to-ignore} and the set of namespaces matching
 * {@code --namespace-selector}, kept current by a Namespace watch. Filtered events are dropped at ingest.
 */
public final class NamespaceFilter {
    private final Set<String> ignored;
    private final boolean selectorActive;
    private final Set<String> selected = ConcurrentHashMap.newKeySet();

    public NamespaceFilter(Set<String> ignored, boolean selectorActive) {
        this.ignored = Set.copyOf(ignored);
        this.selectorActive = selectorActive;
    }

    public static NamespaceFilter none() {
        return new NamespaceFilter(Set.of(), false);
    }

    public boolean admits(String namespace) {
        return !ignored.contains(namespace) && (!selectorActive || selected.contains(namespace));
    }

    public boolean select(String namespace) {
        return selected.add(namespace);
    }

    public boolean deselect(String namespace) {
        return selected.remove(namespace);
    }
}
