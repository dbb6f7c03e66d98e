package io.reloader.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.WorkloadView;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Workload informers (one per kind and watched namespace) that keep the {@link ReferenceIndex} current and
 * serve the cached objects the decision runs on.
 */
public final class InformerWorkloadLookup implements WorkloadLookup {
    private static final long PAGE_SIZE = 500L;

    private final KubernetesClient client;
    private final ReferenceIndex index;
    private final Consumer<HasMetadata> onWorkloadChange;
    private final Map<WorkloadKind, List<SharedIndexInformer<HasMetadata>>> informers = new EnumMap<>(WorkloadKind.class);

    /**
     * @param onWorkloadChange called for every added or updated workload, after the index is updated (lint)
     */
    public InformerWorkloadLookup(KubernetesClient client, ReferenceIndex index, Consumer<HasMetadata> onWorkloadChange) {
        this.client = client;
        this.index = index;
        this.onWorkloadChange = onWorkloadChange;
    }

    /** Starts watching; fails (e.g. with 403 when watch is forbidden) if any initial list or watch fails. */
    public CompletableFuture<Void> start(List<String> namespaces) {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        List<String> scopes = namespaces.isEmpty() ? java.util.Collections.singletonList(null) : namespaces;
        for (WorkloadKind kind : WorkloadKind.values()) {
            for (String ns : scopes) {
                MixedOperation<HasMetadata, ?, Resource<HasMetadata>> op = client.resources(kind.rawType());
                SharedIndexInformer<HasMetadata> informer = (ns == null ? op.inAnyNamespace() : op.inNamespace(ns))
                        .withLimit(PAGE_SIZE).runnableInformer(0);
                informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
                    @Override
                    public void onAdd(HasMetadata obj) {
                        changed(obj);
                    }

                    @Override
                    public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                        changed(newObj);
                    }

                    @Override
                    public void onDelete(HasMetadata obj, boolean unknown) {
                        index.remove(WorkloadView.of(obj).key());
                    }
                });
                informers.computeIfAbsent(kind, k -> new ArrayList<>()).add(informer);
                started.add(informer.start().toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    private void changed(HasMetadata obj) {
        index.upsert(WorkloadView.of(obj));
        onWorkloadChange.accept(obj);
    }

    @Override
    public Collection<WorkloadKey> candidates(SourceRef source) {
        return index.candidates(source);
    }

    @Override
    public Optional<HasMetadata> get(WorkloadKey key) {
        for (SharedIndexInformer<HasMetadata> informer : informers.getOrDefault(key.kind(), List.of())) {
            HasMetadata obj = informer.getStore().getByKey(key.namespace() + "/" + key.name());
            if (obj != null) {
                return Optional.of(obj);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        informers.values().forEach(list -> list.forEach(SharedIndexInformer::close));
        informers.clear();
    }
}
