package io.reloader.model;

/** Identifies one workload; the unit of queueing, coalescing and writing. */
public record WorkloadKey(WorkloadKind kind, String namespace, String name) {
    @Override
    public String toString() {
        return kind.kindName() + " " + namespace + "/" + name;
    }
}
