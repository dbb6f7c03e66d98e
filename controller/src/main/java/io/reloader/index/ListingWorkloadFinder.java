package io.reloader.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.kube.Operations;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.WorkloadView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reloader's way (docs/compatibility.md#decision-order step 6): LIST every workload kind in the source's namespace on each change. Used
 * only when watching workloads is forbidden, so the project still works with Reloader's RBAC (docs/compatibility.md#indexed-lookup).
 */
public final class ListingWorkloadFinder implements WorkloadFinder {
    private static final Logger LOG = LoggerFactory.getLogger(ListingWorkloadFinder.class);
    private static final long PAGE_SIZE = 500L;

    private final KubernetesClient client;
    private final Set<WorkloadKind> kinds;
    private final Consumer<WorkloadKind> onForbidden;
    private final List<String> namespaces;

    public ListingWorkloadFinder(KubernetesClient client, Set<WorkloadKind> kinds, List<String> namespaces) {
        this(client, kinds, namespaces, kind -> { });
    }

    /**
     * @param namespaces  the watched namespaces (empty: all), for {@link #all}
     * @param onForbidden told about each LIST refused with 403
     */
    public ListingWorkloadFinder(KubernetesClient client, Set<WorkloadKind> kinds, List<String> namespaces,
                                 Consumer<WorkloadKind> onForbidden) {
        this.client = client;
        this.kinds = kinds;
        this.namespaces = namespaces;
        this.onForbidden = onForbidden;
    }

    @Override
    public Collection<WorkloadKey> candidates(SourceRef source) {
        List<WorkloadKey> keys = new ArrayList<>();
        for (WorkloadKind kind : kinds) { // in the order given: Reloader's, then custom kinds
            try {
                for (HasMetadata obj : Operations.of(client, kind).inNamespace(source.namespace()).list().getItems()) {
                    keys.add(WorkloadView.of(obj).key());
                }
            } catch (KubernetesClientException e) {
                // Reloader logs a failed LIST and treats it as empty.
                LOG.error("Failed to list {} {}", kind.listName(), io.reloader.kube.ApiErrors.describe(e));
                if (e.getCode() == 403) {
                    onForbidden.accept(kind);
                }
            }
        }
        return keys;
    }

    /**
     * This finder, but each kind is listed once and then served from that list: start-up reads every kind for pause
     * recovery and again for catch-up, and need not list them twice.
     */
    public WorkloadFinder listingOnce() {
        Map<WorkloadKind, Collection<HasMetadata>> listed = new java.util.concurrent.ConcurrentHashMap<>();
        ListingWorkloadFinder self = this;
        return new WorkloadFinder() {
            @Override
            public Collection<WorkloadKey> candidates(SourceRef source) {
                return self.candidates(source);
            }

            @Override
            public Optional<HasMetadata> get(WorkloadKey key) {
                return self.get(key);
            }

            @Override
            public Collection<HasMetadata> all(WorkloadKind kind) {
                return listed.computeIfAbsent(kind, self::all);
            }

            @Override
            public void close() {
                listed.clear();
            }
        };
    }

    @Override
    public Optional<HasMetadata> get(WorkloadKey key) {
        return Optional.ofNullable(Operations.of(client, key.kind()).inNamespace(key.namespace())
                .withName(key.name()).get());
    }

    /**
     * Every workload of a kind, from paginated LISTs (as a real API server pages them). Used once at start-up, so
     * that pause recovery and catch-up work without the index too; a refused LIST counts as empty.
     */
    @Override
    public Collection<HasMetadata> all(WorkloadKind kind) {
        if (!kinds.contains(kind)) {
            return List.of();
        }
        List<HasMetadata> all = new ArrayList<>();
        for (String ns : namespaces.isEmpty() ? java.util.Collections.<String>singletonList(null) : namespaces) {
            String next = null;
            try {
                do {
                    var op = Operations.of(client, kind);
                    var page = (ns == null ? op.inAnyNamespace() : op.inNamespace(ns)).list(new ListOptionsBuilder()
                            .withLimit(PAGE_SIZE).withContinue(next).build());
                    all.addAll(page.getItems());
                    next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
                } while (next != null && !next.isEmpty());
            } catch (KubernetesClientException e) {
                LOG.error("Failed to list {} {}", kind.listName(), io.reloader.kube.ApiErrors.describe(e));
                if (e.getCode() == 403) {
                    onForbidden.accept(kind);
                }
            }
        }
        return all;
    }

    @Override
    public void close() {
        // Nothing cached, nothing to stop.
    }
}
