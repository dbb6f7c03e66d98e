package io.reloader.config;

/**
 * What the controller knows about itself from the chart's environment: where it runs and how it counts. Read once
 * from the environment by the CLI, like every other setting.
 *
 * @param namespace          {@code RELOADER_NAMESPACE}: where the {@code reloader-meta-info} ConfigMap is written
 *                           and the controller's own Deployment lives; empty when not set
 * @param deploymentName     {@code RELOADER_DEPLOYMENT_NAME}: the controller's own Deployment, the object Events
 *                           about the controller itself name; empty when not set
 * @param metricsByNamespace {@code METRICS_COUNT_BY_NAMESPACE=enabled}: the per-namespace reload counter
 */
public record SelfOptions(String namespace, String deploymentName, boolean metricsByNamespace) {
    /** No identity, default metrics: tests and tools that run a controller outside a cluster. */
    public static final SelfOptions NONE = new SelfOptions("", "", false);
}
