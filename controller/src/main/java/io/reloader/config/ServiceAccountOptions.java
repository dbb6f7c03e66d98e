package io.reloader.config;

import java.util.List;

/**
 * Project extension: workloads follow the workload identity of the ServiceAccount they run as.
 *
 * @param enabled     {@code --reload-on-serviceaccount-change}: ServiceAccounts are watched
 * @param annotations {@code --serviceaccount-annotations}: the annotations compared (and hashed); no other part
 *                    of a ServiceAccount is kept or rolls anything
 */
public record ServiceAccountOptions(boolean enabled, List<String> annotations) {
    /** The cloud providers' workload identity annotations: EKS (IRSA), Azure Workload Identity, GKE. */
    public static final List<String> DEFAULT_ANNOTATIONS = List.of("eks.amazonaws.com/role-arn",
            "azure.workload.identity/client-id", "iam.gke.io/gcp-service-account");

    public ServiceAccountOptions {
        annotations = List.copyOf(annotations);
    }

    public static ServiceAccountOptions off() {
        return new ServiceAccountOptions(false, DEFAULT_ANNOTATIONS);
    }
}
