package io.reloader.model;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Why a source counts as changed, for the reports only (never for the decision): the names of the keys that
 * changed (data and binaryData; a removed key counts) and the field managers that wrote the change. Names, never
 * values. Bounded: at most {@link #MAX_KEYS} keys and {@link #MAX_MANAGERS} managers are kept, the rest counted,
 * so a burst of many changes cannot grow it.
 *
 * @param keys            the changed keys, sorted; empty when not known
 * @param omittedKeys     how many more keys changed than are kept
 * @param managers        the field managers, sorted; empty when not known
 * @param omittedManagers how many more managers wrote than are kept
 */
public record ReloadCause(SortedSet<String> keys, int omittedKeys, SortedSet<String> managers, int omittedManagers) {
    public static final int MAX_KEYS = 20;
    public static final int MAX_MANAGERS = 5;
    public static final ReloadCause UNKNOWN = new ReloadCause(new TreeSet<>(), 0, new TreeSet<>(), 0);

    public ReloadCause {
        keys = Collections.unmodifiableSortedSet(new TreeSet<>(keys));
        managers = Collections.unmodifiableSortedSet(new TreeSet<>(managers));
    }

    /** @param manager the field manager, or null when not known */
    public static ReloadCause of(Collection<String> keys, String manager) {
        TreeSet<String> k = new TreeSet<>(keys == null ? java.util.List.of() : keys);
        TreeSet<String> m = new TreeSet<>();
        if (manager != null && !manager.isEmpty()) {
            m.add(manager);
        }
        return bounded(k, 0, m, 0);
    }

    /** Both causes together: the union of their keys and managers (for changes merged into one reload). */
    public ReloadCause and(ReloadCause other) {
        if (other == null || other.equals(UNKNOWN)) {
            return this;
        }
        if (this.equals(UNKNOWN)) {
            return other;
        }
        TreeSet<String> k = new TreeSet<>(keys);
        k.addAll(other.keys);
        TreeSet<String> m = new TreeSet<>(managers);
        m.addAll(other.managers);
        return bounded(k, Math.max(omittedKeys, other.omittedKeys), m, Math.max(omittedManagers, other.omittedManagers));
    }

    private static ReloadCause bounded(TreeSet<String> keys, int omittedKeys, TreeSet<String> managers,
                                       int omittedManagers) {
        while (keys.size() > MAX_KEYS) {
            keys.pollLast();
            omittedKeys++;
        }
        while (managers.size() > MAX_MANAGERS) {
            managers.pollLast();
            omittedManagers++;
        }
        return new ReloadCause(keys, omittedKeys, managers, omittedManagers);
    }

    /** The keys as listed in reports: "a, b" or "a, b and 3 more"; empty when not known. */
    public String keyList() {
        return list(keys, omittedKeys);
    }

    /** The managers as listed in reports: "kubectl-edit, helm"; empty when not known. */
    public String managerList() {
        return list(managers, omittedManagers);
    }

    private static String list(SortedSet<String> names, int omitted) {
        String joined = String.join(", ", names);
        return omitted > 0 ? joined + " and " + omitted + " more" : joined;
    }

    /**
     * What is appended to Reloader's Event and alert messages: {@code " (keys: a, b; by: kubectl-edit)"}, either part
     * left out when not known, nothing when neither is.
     */
    public String suffix() {
        String k = keyList();
        String m = managerList();
        if (k.isEmpty() && m.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(" (");
        if (!k.isEmpty()) {
            s.append("keys: ").append(k);
        }
        if (!m.isEmpty()) {
            s.append(k.isEmpty() ? "" : "; ").append("by: ").append(m);
        }
        return s.append(')').toString();
    }
}
