package io.reloader.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;

import java.util.List;
import java.util.Map;

/** A source as the involved object of an Event about it: kind, namespace, name and, when it can be read, uid. */
final class SourceObjects {
    private static final Map<String, String[]> KINDS = Map.of(
            SourceType.CONFIGMAP.resource(), new String[] {"v1", "ConfigMap"},
            SourceType.SECRET.resource(), new String[] {"v1", "Secret"},
            SourceType.SECRETPROVIDERCLASS.resource(), new String[] {"secrets-store.csi.x-k8s.io/v1", "SecretProviderClass"},
            "serviceaccounts", new String[] {"v1", "ServiceAccount"});

    private SourceObjects() {
    }

    /**
     * The uid (which {@code kubectl describe} matches Events by) is read with a LIST narrowed to the one name, the
     * verb the controller already has; the object is dropped at once. Without it the Event names the source only.
     */
    static HasMetadata involved(KubernetesClient client, SourceRef ref) {
        String[] kind = KINDS.getOrDefault(ref.type().resource(), new String[] {"v1", ref.type().name()});
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(kind[0]);
        o.setKind(kind[1]);
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(ref.namespace());
        meta.setName(ref.name());
        meta.setUid(uid(client, ref));
        o.setMetadata(meta);
        return o;
    }

    private static String uid(KubernetesClient client, SourceRef ref) {
        try {
            var options = new ListOptionsBuilder().withFieldSelector("metadata.name=" + ref.name()).withLimit(1L).build();
            List<? extends HasMetadata> items = ref.type() == SourceType.CONFIGMAP
                    ? client.configMaps().inNamespace(ref.namespace()).list(options).getItems()
                    : ref.type() == SourceType.SECRET
                    ? client.secrets().inNamespace(ref.namespace()).list(options).getItems() : List.of();
            return items.stream().filter(i -> ref.name().equals(i.getMetadata().getName()))
                    .map(i -> i.getMetadata().getUid()).findFirst().orElse(null);
        } catch (RuntimeException e) {
            return null; // not readable: the Event still names the source
        }
    }
}
