package io.reloader.workload;

/** Makes the adapter of one kind from what adapters act through: one line of {@link AdapterRegistry#BUILT_IN}. */
@FunctionalInterface
public interface AdapterFactory {
    WorkloadAdapter create(AdapterContext context);
}
