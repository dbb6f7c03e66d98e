package io.reloader.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Which platform the API server is, for Reloader's {@code Environment:} start-up line. */
public final class ClusterEnvironmentProbe {
    static final String OPENSHIFT_GROUP = "apps.openshift.io";

    private ClusterEnvironmentProbe() {
    }

    /**
     * As Reloader decides it: OpenShift when the server serves the {@code apps.openshift.io} API group
     * (DeploymentConfigs). A failed discovery counts as Kubernetes; it is not worth failing the start for.
     */
    /** {@code Openshift} or {@code Kubernetes}, spelled as in Reloader's log line. */
    public static String describe(KubernetesClient client) {
        return isOpenShift(client) ? "Openshift" : "Kubernetes";
    }

    static boolean isOpenShift(KubernetesClient client) {
        try {
            var groups = client.getApiGroups();
            return groups != null && groups.getGroups() != null
                    && groups.getGroups().stream().anyMatch(g -> OPENSHIFT_GROUP.equals(g.getName()));
        } catch (KubernetesClientException e) {
            return false;
        }
    }
}
