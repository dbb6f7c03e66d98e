package io.reloader.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.reloader.config.LabelSelector;
import io.reloader.config.Options;
import io.reloader.kube.InformerRetry;
import io.reloader.model.SourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Watches ConfigMaps and Secrets (and, with a namespace selector, Namespaces) and feeds the
 * {@link ChangeDetector}. The informer stores keep only metadata; data is hashed on receipt and dropped
 * (docs/compatibility.md#hash-only-caches). Initial lists are paginated. With
 * {@code --reload-on-serviceaccount-change} ServiceAccounts are watched the same way: their selected annotations
 * are hashed on receipt and everything else (secrets, image pull secrets, other annotations, labels) dropped.
 */
public final class SourceWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceWatcher.class);
    /**
     * Sources per list page: client-go's 500. The client hashes each source while its page arrives and keeps only
     * its metadata (kube.SourceListInterceptor), so a page of Helm release records (hundreds of KiB each) costs
     * the heap one Secret's data at a time; pages of 10 Secrets and 100 ConfigMaps were the price when pages were
     * parsed whole.
     */
    private static final long PAGE_SIZE = 500L;
    /** Where a source object carries its digest from the store to the handler (a property no server sends). */

    private final KubernetesClient client;
    private final Options options;
    private final ChangeDetector detector;
    private final NamespaceFilter namespaceFilter;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private PodStatusWatcher podStatuses;
    private volatile boolean closed;

    public SourceWatcher(KubernetesClient client, Options options, ChangeDetector detector,
                         NamespaceFilter namespaceFilter) {
        this.client = client;
        this.options = options;
        this.detector = detector;
        this.namespaceFilter = namespaceFilter;
    }

    /** Starts the watches and completes once every initial list is in and handled; nothing once closed. */
    public CompletableFuture<Void> start() {
        if (closed) {
            return new CompletableFuture<>();
        }
        CompletableFuture<Void> namespacesReady = CompletableFuture.completedFuture(null);
        if (options.scope().globalMode() && options.scope().namespaceSelector() != null) {
            namespacesReady = startNamespaceWatch(options.scope().namespaceSelector());
        }
        return namespacesReady.thenCompose(ignored -> {
            List<CompletableFuture<Void>> started = new ArrayList<>();
            if (closed) {
                return new CompletableFuture<Void>(); // closed while namespaces were listed: start nothing more
            }
            for (String ns : scopes()) {
                if (options.scope().watches(SourceType.CONFIGMAP)) {
                    started.add(watch(SourceType.CONFIGMAP, client.configMaps(), ns,
                            SourceItemStore.configMaps(options.reload().hasher()), sourceKeys(),
                            options.scope().resourceLabelSelector(), sourceEvents(SourceType.CONFIGMAP)));
                }
                if (options.scope().watches(SourceType.SECRET)) {
                    started.add(watch(SourceType.SECRET, client.secrets(), ns,
                            SourceItemStore.secrets(options.reload().hasher()), sourceKeys(),
                            options.scope().resourceLabelSelector(), sourceEvents(SourceType.SECRET)));
                }
            }
            if (options.scope().serviceAccounts().enabled()) {
                java.util.List<String> selected = options.scope().serviceAccounts().annotations();
                for (String ns : scopes()) {
                    started.add(watch(SourceType.SERVICEACCOUNT, client.serviceAccounts(), ns,
                            SourceItemStore.serviceAccounts(options.reload().hasher(), selected),
                            Set.copyOf(selected), null, serviceAccountEvents()));
                }
            }
            if (options.scope().csi()) {
                PodStatusWatcher watcher = new PodStatusWatcher(client, detector, options.reload().hasher());
                synchronized (this) {
                    if (closed) {
                        return new CompletableFuture<Void>();
                    }
                    podStatuses = watcher;
                }
                started.add(watcher.start(options.scope().namespaces()));
            }
            return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
        });
    }

    private List<String> scopes() {
        return options.scope().namespaces().isEmpty() ? java.util.Collections.singletonList(null) : options.scope().namespaces();
    }

    /** What the detector is told of one source kind's events, with the digest the store computed. */
    private interface Events {
        void added(HasMetadata obj, SourceItemStore.Digest digest, boolean live);

        void updated(HasMetadata obj, SourceItemStore.Digest digest);

        void deleted(HasMetadata obj);
    }

    /** The two annotations the decision reads of a ConfigMap or Secret. */
    private Set<String> sourceKeys() {
        return Set.of(options.keys().ignore(), options.keys().match());
    }

    private Events sourceEvents(SourceType type) {
        return new Events() {
            @Override
            public void added(HasMetadata obj, SourceItemStore.Digest d, boolean live) {
                detector.added(type, obj, d.hash(), d.keys(), live);
            }

            @Override
            public void updated(HasMetadata obj, SourceItemStore.Digest d) {
                detector.updated(type, obj, d.hash(), d.keys());
            }

            @Override
            public void deleted(HasMetadata obj) {
                detector.deleted(type, obj);
            }
        };
    }

    private Events serviceAccountEvents() {
        return new Events() {
            @Override
            public void added(HasMetadata obj, SourceItemStore.Digest d, boolean live) {
                detector.serviceAccountAdded(obj, d.hash(), d.keys());
            }

            @Override
            public void updated(HasMetadata obj, SourceItemStore.Digest d) {
                detector.serviceAccountUpdated(obj, d.hash(), d.keys());
            }

            @Override
            public void deleted(HasMetadata obj) {
                detector.serviceAccountDeleted(obj);
            }
        };
    }

    /**
     * @param kept     the annotations handed on to the handlers (none else is kept)
     * @param selector the label selector the objects must match, or null
     */
    private <T extends HasMetadata> CompletableFuture<Void> watch(
            SourceType type, MixedOperation<T, ?, ? extends Resource<T>> op, String namespace,
            SourceItemStore.Kind<T> kind, Set<String> kept, LabelSelector selector, Events events) {
        LOG.info("created controller for: {}", type.resource());
        LOG.info("Starting Controller to watch resource type: {} in namespace: {}", type.resource(),
                namespace == null ? "" : namespace);
        FilterWatchListDeletable<T, ?, ? extends Resource<T>> scoped =
                namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace);
        if (selector != null) {
            scoped = scoped.withLabelSelector(selector.toString());
        }
        SharedIndexInformer<T> informer = scoped.withLimit(PAGE_SIZE)
                .runnableInformer(0);
        informer.exceptionHandler(InformerRetry.HANDLER);
        informer.removeNamespaceIndex(); // nothing looks sources up by namespace
        // Hashed on arrival, data dropped: only labels (for the selector) are read back from the store. No other
        // annotations are kept: kubectl and Argo CD put the whole object, Secret data included, into
        // last-applied-configuration.
        SourceItemStore<T> store = new SourceItemStore<>(kind, kept, selector != null);
        informer.itemStore(store);
        InitialListGate gate = new InitialListGate(options.reload().syncAfterRestart());
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                boolean live = gate.isLive();
                if (selected(selector, obj)) {
                    events.added(obj, store.digestOf(obj), live);
                }
                gate.added(); // counts every Add, filtered or not
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (selected(selector, newObj)) {
                    events.updated(newObj, store.digestOf(newObj));
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                if (selected(selector, obj)) {
                    events.deleted(obj);
                }
            }
        });
        if (!register(informer)) {
            return new CompletableFuture<>();
        }
        // Complete once the initial list is in and every one of its Adds went through the detector, so the
        // detector knows every source's hash before start-up catch-up compares workloads with them.
        return InformerRetry.start(informer)
                .thenRun(() -> gate.listed(informer.getStore().listKeys().size()))
                .thenCompose(ignored -> gate.handled);
    }

    /** Client-side copy of the server-side label filter, for servers that ignore set-based selectors. */
    private static boolean selected(LabelSelector selector, HasMetadata obj) {
        return selector == null || selector.matches(obj.getMetadata().getLabels());
    }

    private CompletableFuture<Void> startNamespaceWatch(LabelSelector selector) {
        SharedIndexInformer<Namespace> informer = client.namespaces().withLabelSelector(selector.toString())
                .runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<Namespace>() {
            @Override
            public void onAdd(Namespace ns) {
                update(ns);
            }

            @Override
            public void onUpdate(Namespace oldNs, Namespace ns) {
                update(ns);
            }

            @Override
            public void onDelete(Namespace ns, boolean unknown) {
                if (namespaceFilter.deselect(ns.getMetadata().getName())) {
                    LOG.info("removed namespace from watch: {}", ns.getMetadata().getName());
                }
            }

            private void update(Namespace ns) {
                String name = ns.getMetadata().getName();
                if (selector.matches(ns.getMetadata().getLabels())) {
                    if (namespaceFilter.select(name)) {
                        LOG.info("added namespace to be watched: {}", name);
                    }
                } else if (namespaceFilter.deselect(name)) {
                    LOG.info("removed namespace from watch: {}", name);
                }
            }
        });
        informer.exceptionHandler(InformerRetry.HANDLER);
        if (!register(informer)) {
            return new CompletableFuture<>();
        }
        return InformerRetry.start(informer).thenRun(() -> {
            // Namespaces of the initial list must be selected before the first source event is filtered.
            informer.getStore().list().stream().filter(ns -> selector.matches(ns.getMetadata().getLabels()))
                    .forEach(ns -> namespaceFilter.select(ns.getMetadata().getName()));
        });
    }

    /** Keeps the informer to close later; false (and nothing kept) once closed, so it must not be started. */
    private synchronized boolean register(SharedIndexInformer<?> informer) {
        if (closed) {
            return false;
        }
        informers.add(informer);
        return true;
    }

    /** True when every ConfigMap, Secret and Namespace informer has its watch open (for readiness). */
    public synchronized boolean allWatching() {
        return informers.stream().allMatch(SharedIndexInformer::isWatching);
    }

    /** True while any of the informers runs. */
    public synchronized boolean isWatching() {
        return informers.stream().anyMatch(SharedIndexInformer::isRunning)
                || (podStatuses != null && podStatuses.isWatching());
    }

    @Override
    public void close() {
        List<SharedIndexInformer<?>> toClose;
        PodStatusWatcher pods;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(informers);
            pods = podStatuses;
        }
        toClose.forEach(SharedIndexInformer::close);
        if (pods != null) {
            pods.close();
        }
    }

    /**
     * Tells the initial list's Adds (state we start from) from Adds of objects created later, without blocking the
     * informer's threads. The informer delivers the initial list's notifications first and in order, so the first
     * N Adds, N being the size of the initial list, are the initial ones; Adds handled before the size is known are
     * initial too. {@link #handled} completes once all N went through the handler.
     */
    static final class InitialListGate {
        private final boolean allLive;
        private boolean listed;
        private long initialSize;
        private long seen;
        private long handledCount;
        final CompletableFuture<Void> handled = new CompletableFuture<>();

        InitialListGate(boolean allLive) {
            this.allLive = allLive;
        }

        synchronized void listed(int size) {
            listed = true;
            initialSize = size;
            completeIfDone();
        }

        /** Called once per Add, before it is handled; {@link #added()} after. */
        synchronized boolean isLive() {
            boolean initial = !listed || seen < initialSize;
            seen++;
            return allLive || !initial;
        }

        synchronized void added() {
            handledCount++;
            completeIfDone();
        }

        private void completeIfDone() {
            if (listed && handledCount >= initialSize) {
                handled.complete(null);
            }
        }
    }
}
