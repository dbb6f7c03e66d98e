package io.reloader.spec;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.WorkloadKind;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The workload kinds this process knows: the built-in ones, and the kinds adapters register at start-up (with
 * what each declares, {@link KindTraits}). Tells the kind of an object by its model class, or, for generic
 * resources, by API group and kind.
 */
public final class KindRegistry {
    /** Seeded with the built-in kinds, so that pure code (explain, unit tests) tells them apart without adapters. */
    private static final List<WorkloadKind> KNOWN = new CopyOnWriteArrayList<>(WorkloadKind.values());
    private static final Map<WorkloadKind, KindTraits> TRAITS = new ConcurrentHashMap<>();

    private KindRegistry() {
    }

    /** Makes a kind known (idempotent). */
    public static void register(WorkloadKind kind) {
        synchronized (KNOWN) {
            if (!KNOWN.contains(kind)) {
                KNOWN.add(kind);
            }
        }
    }

    /** Makes a kind known with what it declares; the last registration of a kind wins. */
    public static void register(KindTraits traits) {
        register(traits.kind());
        TRAITS.put(traits.kind(), traits);
    }

    /** What the kind declares; nothing beyond the kind itself when no adapter registered it. */
    public static KindTraits traits(WorkloadKind kind) {
        KindTraits traits = TRAITS.get(kind);
        return traits != null ? traits : KindTraits.plain(kind);
    }

    public static List<WorkloadKind> all() {
        return List.copyOf(KNOWN);
    }

    /** @throws IllegalArgumentException for an object of no known workload kind */
    public static WorkloadKind of(HasMetadata workload) {
        if (workload instanceof GenericKubernetesResource g) {
            String group = groupOf(g.getApiVersion());
            for (WorkloadKind k : KNOWN) {
                if (k.generic() && k.kind().equals(g.getKind()) && (group == null || k.group().equals(group))) {
                    return k;
                }
            }
        } else {
            for (WorkloadKind k : KNOWN) {
                if (!k.generic() && k.type().isInstance(workload)) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException("not a supported workload: " + workload.getKind());
    }

    private static String groupOf(String apiVersion) {
        if (apiVersion == null) {
            return null;
        }
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
