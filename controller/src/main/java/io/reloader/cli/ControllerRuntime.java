package io.reloader.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.config.GoDuration;
import io.reloader.config.Options;
import io.reloader.controller.ReloaderController;
import io.reloader.ha.LeaderElection;
import io.reloader.report.MetaInfo;
import io.reloader.report.ReloaderMetrics;
import io.reloader.server.HttpEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * One running controller with its HTTP endpoints and metrics; shared by the controller command and the demo.
 * With {@code --enable-ha} the controller runs only while this replica holds the Lease; every replica serves
 * HTTP. Readiness: ready once the caches are synced, or, on a standby, once it is waiting for the Lease.
 * Liveness turns to 500 after this replica lost leadership, so the kubelet restarts it (as Reloader does).
 */
public final class ControllerRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final Options options;
    private final ReloaderMetrics metrics;
    private volatile ReloaderController controller;
    private volatile boolean lostLeadership;
    private volatile boolean standby;
    private LeaderElection election;
    /** With HA: the Lease knowledge and the election's client; null without HA. */
    private final HaReplica replica;
    /** The meta-info ConfigMap's options, written by the leader only; null to write none. */
    private volatile Map<String, Object> metaInfo;
    private HttpEndpoints http;
    private HttpEndpoints diagnostics;
    /** With --metrics-addr/--health-addr: the probes' server (the same object as {@link #http} on one address). */
    private HttpEndpoints healthServer;
    /** Set before the controller is closed on losing the Lease; a start-up still running then stops itself. */
    private volatile boolean leadershipEnded;
    private volatile ReloaderController lastStarted;
    /** Run on the starting thread each time a controller is ready (the process returns its start-up heap). */
    private Runnable afterReady = () -> { };

    /**
     * A runtime whose HA replica (if any) uses an election client derived from {@code client}'s configuration;
     * that client's writes are not fenced (production and HA tests pass a {@link HaReplica}).
     */
    public ControllerRuntime(KubernetesClient client, Options options, ReloaderMetrics metrics) {
        this(client, options, metrics, options.ha() == null ? null : new HaReplica(
                new io.reloader.ha.LeaderLease(java.time.Clock.systemUTC(), options.ha()),
                HaReplica.electionClient(new io.fabric8.kubernetes.client.KubernetesClientBuilder(),
                        new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).build(), options.ha(),
                        options.fieldManager(), metrics, h -> { })));
    }

    /**
     * @param replica with {@code --enable-ha}: the Lease knowledge shared with the write fence on {@code client},
     *                and the election's own client (closed with this runtime)
     */
    public ControllerRuntime(KubernetesClient client, Options options, ReloaderMetrics metrics, HaReplica replica) {
        if (options.ha() != null && replica == null) {
            throw new IllegalArgumentException("--enable-ha needs the replica's election client");
        }
        this.client = client;
        this.options = options;
        this.metrics = metrics;
        this.replica = replica;
    }

    /** Writes {@code reloader-meta-info} with these options whenever this replica starts leading (or at start). */
    public ControllerRuntime metaInfo(Map<String, Object> reloaderOptions) {
        this.metaInfo = reloaderOptions;
        return this;
    }

    /** Runs {@code hook} each time a controller this runtime starts is ready (after its ready log line). */
    public ControllerRuntime afterReady(Runnable hook) {
        this.afterReady = hook;
        return this;
    }

    private void writeMetaInfo() {
        Map<String, Object> m = metaInfo;
        if (m != null) {
            MetaInfo.write(client, options.self(), m);
        }
    }

    public void start() throws IOException, InterruptedException, java.util.concurrent.TimeoutException {
        logScope();
        if (options.http().separate()) {
            serveSeparately(options.http().metricsAddress(), options.http().healthAddress());
        } else if (options.http().port() > 0) {
            http = new HttpEndpoints(options.http().port(), metrics::scrape, this::isLive, this::isReady);
        }
        if (options.http().pprofAddress() != null) {
            // Reloader's pprof listener; here it serves the same endpoints (spec: --pprof-addr with --enable-pprof).
            diagnostics = new HttpEndpoints(options.http().pprofAddress(), metrics::scrape, this::isLive, this::isReady);
            LOG.info("Serving /metrics, /live and /ready on {} (--enable-pprof)", options.http().pprofAddress());
        }
        if (options.ha() == null) {
            writeMetaInfo();
            runController();
            return;
        }
        standby = true;
        // Only the leader writes: the standby's client would be fenced anyway, and meta-info waits for leadership.
        election = new LeaderElection(replica.electionClient(), options.ha(), replica.lease(), this::startLeading,
                this::stopLeading);
        election.start();
    }

    /** Reloader v2's layout: {@code /metrics} and the probes each on their own address (one server if the same). */
    private void serveSeparately(java.net.InetSocketAddress metricsAt, java.net.InetSocketAddress healthAt)
            throws IOException {
        if (metricsAt != null && metricsAt.equals(healthAt) && metricsAt.getPort() != 0) {
            http = new HttpEndpoints(metricsAt, metrics::scrape, this::isLive, this::isReady);
            healthServer = http;
            LOG.info("Serving /metrics and the probes on {}", metricsAt);
            return;
        }
        if (metricsAt != null) {
            http = new HttpEndpoints(metricsAt, EnumSet.of(HttpEndpoints.Endpoints.METRICS), metrics::scrape,
                    this::isLive, this::isReady);
            LOG.info("Serving /metrics on {}", metricsAt);
        }
        if (healthAt != null) {
            healthServer = new HttpEndpoints(healthAt, EnumSet.of(HttpEndpoints.Endpoints.PROBES), metrics::scrape,
                    this::isLive, this::isReady);
            LOG.info("Serving /live, /ready, /healthz and /readyz on {}", healthAt);
        }
    }

    /** The port {@code /metrics} is served on (v1: {@code --http-port}), or -1 when it is not served. */
    public int metricsPort() {
        return http == null ? -1 : http.port();
    }

    /** The port the probes are served on, or -1 when they are not served. */
    public int healthPort() {
        HttpEndpoints probes = options.http().separate() ? healthServer : http;
        return probes == null ? -1 : probes.port();
    }

    private void startLeading() {
        standby = false;
        Thread t = new Thread(() -> {
            try {
                writeMetaInfo();
                runController();
            } catch (java.util.concurrent.CancellationException e) {
                LOG.info("controller stopped during start-up: leadership was lost");
            } catch (Exception e) {
                LOG.error("failed to start the controller: {}", io.reloader.kube.ApiErrors.describe(e));
                lostLeadership = true;
            }
        }, "reloader-leader");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Lost the Lease: stop everything, including a start-up still syncing (its watches close), abandon queued and
     * in-flight writes instead of draining them (another replica may be writing already), then report not-live so
     * the kubelet restarts this replica.
     */
    private void stopLeading() {
        leadershipEnded = true;
        ReloaderController c = controller;
        controller = null;
        if (c != null) {
            c.abandon();
        }
        lostLeadership = true;
    }

    private void runController() throws InterruptedException, java.util.concurrent.TimeoutException {
        ReloaderController c = new ReloaderController(client, options, metrics);
        lastStarted = c;
        controller = c;
        if (leadershipEnded) { // stopLeading ran before it could see this controller
            c.close();
            throw new java.util.concurrent.CancellationException("leadership lost before start");
        }
        c.start(SYNC_TIMEOUT);
        LOG.info("Reloader is ready: strategy={}, auto-reload-all={}, reload-on-create={}, reload-on-delete={}, "
                        + "quiet-period={}, coalesce-window={}, reload-window={}, field-manager={}, http-port={}, ha={}",
                options.reload().strategy().flagValue(), options.reload().autoReloadAll(), options.reload().reloadOnCreate(),
                options.reload().reloadOnDelete(), GoDuration.format(options.timing().quietPeriod()),
                GoDuration.format(options.timing().coalesceWindow()),
                options.timing().reloadWindow() == null ? "always" : options.timing().reloadWindow(),
                options.fieldManager(), options.http().port(), options.ha() != null);
        afterReady.run();
    }

    /** False once this replica lost the Lease (the kubelet should restart it). */
    public boolean isLive() {
        return !lostLeadership;
    }

    /** True while any watch of the controller this replica started last, stopped or not, may be open. */
    public boolean isWatching() {
        ReloaderController c = lastStarted;
        return c != null && c.isWatching();
    }

    public boolean isReady() {
        ReloaderController c = controller;
        return (c != null && c.isReady()) || (standby && !lostLeadership);
    }

    /** True while this replica runs the watches (always, without HA). */
    public boolean isLeading() {
        ReloaderController c = controller;
        return c != null && c.isReady();
    }

    public boolean isIdle() {
        ReloaderController c = controller;
        return c == null || c.isIdle();
    }

    private void logScope() {
        if (!options.scope().globalMode()) {
            LOG.info("Watching scoped namespaces: {}", String.join(", ", options.scope().namespaces()));
        } else if (options.scope().namespacesToIgnore().isEmpty()) {
            LOG.warn("KUBERNETES_NAMESPACE is unset, will detect changes in all namespaces.");
        } else {
            LOG.warn("KUBERNETES_NAMESPACE is unset, will detect changes in all namespaces except: {}.",
                    String.join(", ", options.scope().namespacesToIgnore()));
        }
        if (options.scope().namespaceSelector() != null) {
            LOG.info("namespace-selector is set, will only detect changes in namespaces with these labels: {}.",
                    options.scope().namespaceSelector());
        }
        if (options.scope().resourceLabelSelector() != null) {
            LOG.info("resource-label-selector is set, will only detect changes on resources with these labels: {}.",
                    options.scope().resourceLabelSelector());
        }
    }

    /** Stops the controller, releases the Lease (a standby takes over at once) and stops serving. */
    @Override
    public void close() {
        ReloaderController c = controller;
        controller = null;
        if (c != null) {
            c.close();
        }
        if (election != null) {
            election.close();
        }
        if (replica != null) {
            replica.close();
        }
        if (http != null) {
            http.close();
        }
        if (healthServer != null && healthServer != http) {
            healthServer.close();
        }
        if (diagnostics != null) {
            diagnostics.close();
        }
    }
}
