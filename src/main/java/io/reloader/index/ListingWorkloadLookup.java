package io.reloader.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.WorkloadView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reloader's way (spec §3.1 step 6): LIST every workload kind in the source's namespace on each change. Used
 * only when watching workloads is forbidden, so the project still works with Reloader's RBAC (spec I4).
 */
public final class ListingWorkloadLookup implements WorkloadLookup {
    private static final Logger LOG = LoggerFactory.getLogger(ListingWorkloadLookup.class);

    private final KubernetesClient client;
    private final Set<WorkloadKind> kinds;
    private final Consumer<WorkloadKind> onForbidden;

    public ListingWorkloadLookup(KubernetesClient client, Set<WorkloadKind> kinds) {
        this(client, kinds, kind -> { });
    }

    /** @param onForbidden told about each LIST refused with 403 */
    public ListingWorkloadLookup(KubernetesClient client, Set<WorkloadKind> kinds, Consumer<WorkloadKind> onForbidden) {
        this.client = client;
        this.kinds = kinds;
        this.onForbidden = onForbidden;
    }

    @Override
    public Collection<WorkloadKey> candidates(SourceRef source) {
        List<WorkloadKey> keys = new ArrayList<>();
        for (WorkloadKind kind : WorkloadKind.values()) {
            if (!kinds.contains(kind)) {
                continue;
            }
            try {
                for (HasMetadata obj : kind.operation(client).inNamespace(source.namespace()).list().getItems()) {
                    keys.add(WorkloadView.of(obj).key());
                }
            } catch (KubernetesClientException e) {
                // Reloader logs a failed LIST and treats it as empty.
                LOG.error("Failed to list {} {}", kind.listName(), e.getMessage());
                if (e.getCode() == 403) {
                    onForbidden.accept(kind);
                }
            }
        }
        return keys;
    }

    @Override
    public Optional<HasMetadata> get(WorkloadKey key) {
        return Optional.ofNullable(key.kind().operation(client).inNamespace(key.namespace())
                .withName(key.name()).get());
    }

    @Override
    public Collection<HasMetadata> all(WorkloadKind kind) {
        return List.of();
    }

    @Override
    public void close() {
        // Nothing cached, nothing to stop.
    }
}
