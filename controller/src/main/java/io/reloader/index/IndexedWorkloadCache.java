package io.reloader.index;

import io.reloader.kube.CompactItemStore;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.reloader.kube.Operations;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.KindTraits;
import io.reloader.spec.WorkloadView;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Workload informers (one per kind and watched namespace) that keep the {@link ReferenceIndex} current and
 * serve the cached objects the decision runs on.
 */
public final class IndexedWorkloadCache implements WorkloadFinder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IndexedWorkloadCache.class);
    private static final long PAGE_SIZE = 500L;

    private final KubernetesClient client;
    private final ReferenceIndex index;
    private final WorkloadListener listener;
    private boolean closed;
    /**
     * Orders index updates of workloads that run another's template and of the workloads they name (informer
     * threads of two kinds).
     */
    private final Object indexLock = new Object();
    private final DependentIndex templateSources = new DependentIndex();
    private final Map<WorkloadKind, List<SharedIndexInformer<HasMetadata>>> informers =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    /** Each informer's store, read directly by {@link #all}, which parses one workload at a time. */
    private final Map<SharedIndexInformer<HasMetadata>, CompactItemStore<HasMetadata>> stores =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Told about workload adds and updates, after the index is updated (for lint and revert detection). */
    public interface WorkloadListener {
        void changed(HasMetadata workload);

        void updated(HasMetadata before, HasMetadata after);

        default void deleted(HasMetadata workload) {
        }
    }

    public IndexedWorkloadCache(KubernetesClient client, ReferenceIndex index, WorkloadListener listener) {
        this.client = client;
        this.index = index;
        this.listener = listener;
    }

    /**
     * Starts watching; fails (e.g. with 403 when watch is forbidden) if any initial list or watch fails, except
     * for an {@link KindTraits#optional} kind (Rollouts): when its CRD is missing it is dropped with one warning.
     */
    public CompletableFuture<Void> start(List<String> namespaces, Set<WorkloadKind> kinds) {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        List<String> scopes = namespaces.isEmpty() ? java.util.Collections.singletonList(null) : namespaces;
        for (WorkloadKind kind : kinds) { // in the order given: Reloader's, then custom kinds
            KindTraits traits = KindRegistry.traits(kind);
            List<CompletableFuture<Void>> target = traits.optional() ? new ArrayList<>() : started;
            for (String ns : scopes) {
                MixedOperation<HasMetadata, ?, Resource<HasMetadata>> op = Operations.of(client, kind);
                SharedIndexInformer<HasMetadata> informer = (ns == null ? op.inAnyNamespace() : op.inNamespace(ns))
                        .withLimit(PAGE_SIZE).runnableInformer(0);
                informer.exceptionHandler(io.reloader.kube.InformerRetry.HANDLER);
                informer.removeNamespaceIndex(); // looked up by key only
                CompactItemStore<HasMetadata> store = new CompactItemStore<>(informer.getApiTypeClass(),
                        client.getKubernetesSerialization());
                informer.itemStore(store);
                stores.put(informer, store);
                informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
                    @Override
                    public void onAdd(HasMetadata obj) {
                        changed(obj);
                    }

                    @Override
                    public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                        changed(newObj);
                        listener.updated(oldObj, newObj);
                    }

                    @Override
                    public void onDelete(HasMetadata obj, boolean unknown) {
                        deleted(obj);
                        listener.deleted(obj);
                    }
                });
                synchronized (this) {
                    if (closed) {
                        return new CompletableFuture<>(); // closed during start-up: start nothing more
                    }
                    informers.computeIfAbsent(kind, k -> new ArrayList<>()).add(informer);
                }
                target.add(io.reloader.kube.InformerRetry.start(informer));
            }
            if (traits.optional()) {
                started.add(CompletableFuture.allOf(target.toArray(CompletableFuture[]::new)).exceptionally(e -> {
                    LOG.warn("{}{}s ({}) cannot be watched: {}; {}s will not be reloaded, everything else is",
                            traits.enabledBy() == null ? "" : traits.enabledBy() + " but ", kind.kindName(),
                            kind.apiVersion(), rootMessage(e), kind.kindName());
                    List<SharedIndexInformer<HasMetadata>> dropped = informers.remove(kind);
                    if (dropped != null) {
                        dropped.forEach(i -> {
                            stores.remove(i);
                            i.close();
                        });
                    }
                    return null;
                }));
            }
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    private static String rootMessage(Throwable e) {
        return io.reloader.kube.ApiErrors.describe(e);
    }

    private void changed(HasMetadata obj) {
        synchronized (indexLock) {
            WorkloadKey key = WorkloadView.of(obj).key();
            templateSources.follow(key, KindRegistry.traits(key.kind()).templateSource(obj));
            index.upsert(WorkloadView.of(effective(obj)));
            reindexFollowersOf(key);
        }
        listener.changed(obj);
    }

    private void deleted(HasMetadata obj) {
        synchronized (indexLock) {
            WorkloadKey key = WorkloadView.of(obj).key();
            index.remove(key);
            templateSources.follow(key, null);
            reindexFollowersOf(key);
        }
    }

    /**
     * A workload that runs another's template (a Rollout with {@code workloadRef}) is indexed with that template,
     * so it is indexed again from the cache whenever the workload it names (its Deployment) is added, changed or
     * deleted: whichever of the two the lists delivered first, the index ends up the same. Called under
     * {@link #indexLock}, as is every follower's own indexing, so the last one to run saw both objects as the
     * stores hold them.
     */
    private void reindexFollowersOf(WorkloadKey source) {
        for (WorkloadKey follower : templateSources.followers(source)) {
            get(follower).ifPresent(r -> index.upsert(WorkloadView.of(effective(r))));
        }
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

    /**
     * A view that parses each cached workload as the iteration reaches it: start-up's passes over every workload
     * (catch-up, paused Deployments, rollouts to follow) had each held them all parsed at once.
     */
    @Override
    public Collection<HasMetadata> all(WorkloadKind kind) {
        List<Collection<HasMetadata>> views = new ArrayList<>();
        for (SharedIndexInformer<HasMetadata> informer : List.copyOf(informers.getOrDefault(kind, List.of()))) {
            CompactItemStore<HasMetadata> store = stores.get(informer);
            if (store != null) {
                views.add(store.parsedView());
            }
        }
        return views.size() == 1 ? views.get(0) : new ConcatenatedView<>(views);
    }

    /** True when every workload informer has its watch open (for readiness). */
    public synchronized boolean allWatching() {
        return informers.values().stream().flatMap(List::stream).allMatch(SharedIndexInformer::isWatching);
    }

    /** True while any informer runs. */
    public synchronized boolean isWatching() {
        return informers.values().stream().flatMap(List::stream).anyMatch(SharedIndexInformer::isRunning);
    }

    @Override
    public void close() {
        List<SharedIndexInformer<HasMetadata>> toClose = new ArrayList<>();
        synchronized (this) {
            closed = true;
            informers.values().forEach(toClose::addAll);
            informers.clear();
            stores.clear();
        }
        toClose.forEach(SharedIndexInformer::close);
    }
}
