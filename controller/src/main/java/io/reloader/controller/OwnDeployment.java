package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import io.reloader.config.SelfOptions;
import java.util.Optional;

/**
 * This controller's own Deployment, when the chart's environment names it ({@code RELOADER_NAMESPACE},
 * {@code RELOADER_DEPLOYMENT_NAME}, in {@link SelfOptions}), for Events about the controller itself. Read once, on first need: it is only
 * needed to say that something is wrong.
 */
final class OwnDeployment {
    private final KubernetesClient client;
    private final SelfOptions self;
    /** Null until looked up; then present or empty for good. */
    private volatile Optional<HasMetadata> found;

    OwnDeployment(KubernetesClient client, SelfOptions self) {
        this.client = client;
        this.self = self;
    }

    HasMetadata get() {
        Optional<HasMetadata> own = found;
        if (own == null) {
            String ns = self.namespace();
            String name = self.deploymentName();
            HasMetadata deployment = null;
            if (!ns.isEmpty() && !name.isEmpty()) {
                try {
                    deployment = client.apps().deployments().inNamespace(ns).withName(name).get();
                } catch (KubernetesClientException e) {
                    // not readable: say it in the log only
                }
            }
            own = Optional.ofNullable(deployment);
            found = own;
        }
        return own.orElse(null);
    }
}
