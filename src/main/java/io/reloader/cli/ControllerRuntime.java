package io.reloader.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.config.GoDuration;
import io.reloader.config.Options;
import io.reloader.controller.ReloaderController;
import io.reloader.report.ReloaderMetrics;
import io.reloader.server.HttpEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** One running controller with its HTTP endpoints and metrics; shared by the controller command and the demo. */
final class ControllerRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);

    private final Options options;
    private final ReloaderMetrics metrics;
    private final ReloaderController controller;
    private HttpEndpoints http;

    ControllerRuntime(KubernetesClient client, Options options, ReloaderMetrics metrics) {
        this.options = options;
        this.metrics = metrics;
        this.controller = new ReloaderController(client, options, metrics);
    }

    void start() throws IOException, InterruptedException, TimeoutException {
        logScope();
        if (options.httpPort() > 0) {
            http = new HttpEndpoints(options.httpPort(), metrics::scrape, () -> true, controller::isReady);
        }
        controller.start(SYNC_TIMEOUT);
        LOG.info("Reloader is ready: strategy={}, auto-reload-all={}, reload-on-create={}, reload-on-delete={}, "
                        + "coalesce-window={}, field-manager={}, http-port={}",
                options.strategy().flagValue(), options.autoReloadAll(), options.reloadOnCreate(),
                options.reloadOnDelete(), GoDuration.format(options.coalesceWindow()), options.fieldManager(),
                options.httpPort());
    }

    private void logScope() {
        if (!options.globalMode()) {
            LOG.info("Watching scoped namespaces: {}", String.join(", ", options.namespaces()));
        } else if (options.namespacesToIgnore().isEmpty()) {
            LOG.warn("KUBERNETES_NAMESPACE is unset, will detect changes in all namespaces.");
        } else {
            LOG.warn("KUBERNETES_NAMESPACE is unset, will detect changes in all namespaces except: {}.",
                    String.join(", ", options.namespacesToIgnore()));
        }
        if (options.namespaceSelector() != null) {
            LOG.info("namespace-selector is set, will only detect changes in namespaces with these labels: {}.",
                    options.namespaceSelector());
        }
        if (options.resourceLabelSelector() != null) {
            LOG.info("resource-label-selector is set, will only detect changes on resources with these labels: {}.",
                    options.resourceLabelSelector());
        }
    }

    ReloaderController controller() {
        return controller;
    }

    @Override
    public void close() {
        controller.close();
        if (http != null) {
            http.close();
        }
        metrics.close();
    }
}
