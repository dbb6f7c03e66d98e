package io.reloader.watch;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.reloader.concurrent.KeyedLane;
import io.reloader.hash.SourceHasher;
import io.reloader.kube.InformerRetry;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code --enable-csi-integration}: watches SecretProviderClassPodStatuses of the Secrets Store CSI driver and
 * reports a change of their mounted object versions as a change of the SecretProviderClass (docs/compatibility.md#decision-order, docs/compatibility.md#hash).
 * PodStatuses hold object ids and versions, never secret data.
 */
public final class PodStatusWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    static final ResourceDefinitionContext POD_STATUSES = new ResourceDefinitionContext.Builder()
            .withGroup("secrets-store.csi.x-k8s.io").withVersion("v1").withKind("SecretProviderClassPodStatus")
            .withPlural("secretproviderclasspodstatuses").withNamespaced(true).build();
    static final ResourceDefinitionContext CLASSES = new ResourceDefinitionContext.Builder()
            .withGroup("secrets-store.csi.x-k8s.io").withVersion("v1").withKind("SecretProviderClass")
            .withPlural("secretproviderclasses").withNamespaced(true).build();

    private final KubernetesClient client;
    private final ChangeDetector detector;
    private final SourceHasher hasher;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final KeyedLane<SourceRef> lane = new KeyedLane<>("reloader-csi");
    private boolean closed;

    public PodStatusWatcher(KubernetesClient client, ChangeDetector detector, SourceHasher hasher) {
        this.client = client;
        this.detector = detector;
        this.hasher = hasher;
    }

    /** Starts watching if the CSI driver's API is installed; otherwise logs so once and does nothing. */
    public CompletableFuture<Void> start(List<String> namespaces) {
        try {
            // In a watched namespace, not cluster-wide: a namespaced controller's Roles grant no more.
            var probe = client.genericKubernetesResources(POD_STATUSES);
            (namespaces.isEmpty() ? probe.inAnyNamespace() : probe.inNamespace(namespaces.get(0)))
                    .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
            LOG.info("CSI provider is installed");
        } catch (KubernetesClientException e) {
            LOG.warn("CSI provider is not installed");
            LOG.warn("--enable-csi-integration is set but {}.{} cannot be listed (HTTP {}); SecretProviderClass changes "
                    + "will not be watched", POD_STATUSES.getPlural(), POD_STATUSES.getGroup(), e.getCode());
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (String ns : namespaces.isEmpty() ? java.util.Collections.<String>singletonList(null) : namespaces) {
            var op = client.genericKubernetesResources(POD_STATUSES);
            SharedIndexInformer<GenericKubernetesResource> informer = (ns == null ? op.inAnyNamespace()
                    : op.inNamespace(ns)).withLimit(500L).runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<GenericKubernetesResource>() {
                @Override
                public void onAdd(GenericKubernetesResource obj) {
                    detector.podStatusIgnored("add");
                }

                @Override
                public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                    updated(oldObj, newObj);
                }

                @Override
                public void onDelete(GenericKubernetesResource obj, boolean unknown) {
                    detector.podStatusIgnored("delete");
                }
            });
            LOG.info("Starting Controller to watch resource type: {} in namespace: {}",
                    SourceType.SECRETPROVIDERCLASS.resource(), ns == null ? "" : ns);
            informer.exceptionHandler(InformerRetry.HANDLER); // survives 410 Gone and server errors like the others
            synchronized (this) {
                if (closed) {
                    return new CompletableFuture<>();
                }
                informers.add(informer);
            }
            started.add(InformerRetry.start(informer));
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    private void updated(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
        String spc = className(newObj);
        String ns = newObj.getMetadata().getNamespace();
        List<Map<String, Object>> oldObjects = objects(oldObj);
        // An old status without objects counts as empty, so the first versions always pass (as in Reloader).
        String oldHash = oldObjects == null ? "" : hasher.ofPodStatus(className(oldObj), oldObjects);
        String newHash = hasher.ofPodStatus(spc, objects(newObj));
        SourceRef ref = new SourceRef(SourceType.SECRETPROVIDERCLASS, ns, spc);
        if (newHash.equals(oldHash)) {
            detector.podStatusUpdated(ref, oldHash, newHash, Map::of); // dropped without reading the class
            return;
        }
        // The class's annotations are read with a GET: never on the informer thread. A later change of the same
        // class replaces one still waiting, as the work queue would merge them.
        lane.submit(ref, () -> detector.podStatusUpdated(ref, oldHash, newHash, () -> classAnnotations(ns, spc)));
    }

    /** match and ignore come from the SecretProviderClass; a failed read counts as no annotations. */
    private Map<String, String> classAnnotations(String ns, String name) {
        try {
            GenericKubernetesResource spc = client.genericKubernetesResources(CLASSES).inNamespace(ns).withName(name).get();
            return spc == null ? Map.of() : spc.getMetadata().getAnnotations();
        } catch (KubernetesClientException e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(GenericKubernetesResource o) {
        Object status = o.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String className(GenericKubernetesResource o) {
        Object name = status(o).get("secretProviderClassName");
        return name == null ? "" : String.valueOf(name);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(GenericKubernetesResource o) {
        Object objects = status(o).get("objects");
        return objects instanceof List<?> l ? (List<Map<String, Object>>) l : null;
    }

    public synchronized boolean isWatching() {
        return informers.stream().anyMatch(SharedIndexInformer::isRunning);
    }

    @Override
    public void close() {
        List<SharedIndexInformer<GenericKubernetesResource>> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(informers);
        }
        toClose.forEach(SharedIndexInformer::close);
        lane.close();
    }
}
