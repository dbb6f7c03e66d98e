package io.reloader.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.reloader.model.WorkloadKind;

/** The client operation for a workload kind, typed for code that serves every kind alike. */
public final class Operations {
    private Operations() {
    }

    @SuppressWarnings("unchecked")
    public static MixedOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>> of(
            KubernetesClient client, WorkloadKind kind) {
        if (kind.generic()) {
            // Named explicitly: discovery would fail when a CRD is missing, and that case must only warn.
            ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(kind.group())
                    .withVersion(kind.version()).withKind(kind.kind()).withPlural(kind.plural()).withNamespaced(true)
                    .build();
            return (MixedOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>>)
                    (MixedOperation<?, ?, ?>) client.genericKubernetesResources(context);
        }
        return (MixedOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>>)
                (MixedOperation<?, ?, ?>) client.resources((Class<HasMetadata>) kind.type());
    }
}
