package io.reloader.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Which platform the API server is, for Reloader's {@code Environment:} start-up line. */
final class ClusterEnvironment {
    static final String OPENSHIFT_GROUP = "apps.openshift.io";

    private ClusterEnvironment() {
    }

    /**
     * As Reloader decides it: OpenShift when the server serves the {@code apps.openshift.io} API group
     * (DeploymentConfigs). A failed discovery counts as Kubernetes; it is not worth failing the start for.
     */
    static boolean isOpenShift(KubernetesClient client) {
        try {
            return client.getApiGroup(OPENSHIFT_GROUP) != null;
        } catch (KubernetesClientException e) {
            return false;
        }
    }
}
