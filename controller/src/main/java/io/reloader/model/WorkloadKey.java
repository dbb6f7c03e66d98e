package io.reloader.model;

/** Identifies one workload; the unit of queueing, coalescing and writing. */
public record WorkloadKey(WorkloadKind kind, String namespace, String name) {
    /** Namespaces are few and kept once: tens of thousands of refs would otherwise each hold a copy. */
    public WorkloadKey {
        namespace = namespace == null ? null : namespace.intern();
    }

    @Override
    public String toString() {
        return kind.kindName() + " " + namespace + "/" + name;
    }
}
