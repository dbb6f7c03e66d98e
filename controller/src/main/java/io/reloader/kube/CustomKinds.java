package io.reloader.kube;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.config.CustomKindSpec;
import io.reloader.model.WorkloadKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns {@code --custom-workload-types} entries into workload kinds, with the plural the cluster serves them at. */
public final class CustomKinds {
    private CustomKinds() {
    }

    /**
     * Asks the API server's discovery for each kind.
     *
     * @throws IllegalStateException naming the first kind the cluster does not serve
     */
    public static List<WorkloadKind> discover(KubernetesClient client, List<CustomKindSpec> specs) {
        List<WorkloadKind> kinds = new ArrayList<>();
        for (CustomKindSpec spec : specs) {
            APIResourceList resources;
            try {
                resources = client.getApiResources(spec.apiVersion());
            } catch (KubernetesClientException e) {
                resources = null;
            }
            APIResource found = resources == null || resources.getResources() == null ? null
                    : resources.getResources().stream().filter(r -> spec.kind().equals(r.getKind())
                    && r.getName() != null && !r.getName().contains("/")).findFirst().orElse(null);
            if (found == null) {
                throw new IllegalStateException("--custom-workload-types: the cluster does not serve " + spec.kind()
                        + " in " + spec.apiVersion() + " (is its CustomResourceDefinition installed, and may this "
                        + "controller read it?)");
            }
            kinds.add(of(spec, found.getName()));
        }
        return kinds;
    }

    /** The kind without discovery (e.g. for {@code explain} on files), guessing the plural as Kubernetes does. */
    public static WorkloadKind assumed(CustomKindSpec spec) {
        return of(spec, spec.kind().toLowerCase(Locale.ROOT) + "s");
    }

    private static WorkloadKind of(CustomKindSpec spec, String plural) {
        return new WorkloadKind(spec.kind() + "." + spec.group(), spec.group(), spec.version(), spec.kind(), plural,
                plural, spec.templatePath(), GenericKubernetesResource.class);
    }
}
