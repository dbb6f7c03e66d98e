package io.reloader.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.reloader.cli.ClientSetup;
import io.reloader.cli.ControllerFlags;
import io.reloader.config.Options;
import io.reloader.controller.ReloaderController;
import io.reloader.hash.SourceHasher;
import io.reloader.kube.Operations;
import io.reloader.logging.LogrusLayout;
import io.reloader.model.WorkloadKind;
import io.reloader.report.ReloaderMetrics;
import io.reloader.spec.PodTemplates;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An in-process API server (fabric8 mock, CRUD mode) plus the controller running against it, with the log
 * lines it prints and the requests it sends captured for assertions.
 */
public final class ControllerHarness implements AutoCloseable {
    static {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public final KubernetesMockServer server;
    public final KubernetesClient client;
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final CapturingAppender appender;
    private final Map<String, io.fabric8.kubernetes.client.http.Interceptor> extraInterceptors = new HashMap<>();

    private final List<java.util.function.Function<RecordedRequest, io.fabric8.mockwebserver.http.MockResponse>> requestHooks =
            new CopyOnWriteArrayList<>();

    /**
     * A hook the API server consults for every request before serving it: a non-null response is sent instead
     * (e.g. one whose body is delayed for minutes, to hold a request unanswered without blocking the server).
     */
    public void onRequest(java.util.function.Function<RecordedRequest, io.fabric8.mockwebserver.http.MockResponse> hook) {
        requestHooks.add(hook);
    }

    /** CRUD plus expectations, after the test's request hooks. */
    private static final class HookedDispatcher extends KubernetesMixedDispatcher {
        private final List<java.util.function.Function<RecordedRequest, io.fabric8.mockwebserver.http.MockResponse>> hooks;

        HookedDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations,
                         List<java.util.function.Function<RecordedRequest, io.fabric8.mockwebserver.http.MockResponse>> hooks) {
            super(expectations);
            this.hooks = hooks;
        }

        @Override
        public io.fabric8.mockwebserver.http.MockResponse dispatch(RecordedRequest request) {
            for (var hook : hooks) {
                io.fabric8.mockwebserver.http.MockResponse r = hook.apply(request);
                if (r != null) {
                    return r;
                }
            }
            return super.dispatch(request);
        }
    }

    /** An interceptor for the controller's client (fault injection); call before {@link #start}. */
    public void interceptControllerRequests(String name, io.fabric8.kubernetes.client.http.Interceptor interceptor) {
        extraInterceptors.put(name, interceptor);
    }

    /**
     * Reloader's RBAC: the controller may list Deployments but not watch them (its watch is answered 403). Call
     * before {@link #start}.
     */
    public void forbidDeploymentWatch() {
        server.expect().get().withPath("/apis/apps/v1/deployments-nowatch")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("deployments.apps is forbidden: cannot watch").build()).always();
        interceptControllerRequests("noWatch", new io.fabric8.kubernetes.client.http.Interceptor() {
            @Override
            public void before(io.fabric8.kubernetes.client.http.BasicBuilder builder,
                               io.fabric8.kubernetes.client.http.HttpRequest request, RequestTags tags) {
                java.net.URI uri = request.uri();
                if (uri.getPath().equals("/apis/apps/v1/deployments") && String.valueOf(uri.getQuery()).contains("watch=true")) {
                    builder.uri(uri.resolve("/apis/apps/v1/deployments-nowatch"));
                }
            }
        });
    }

    private io.reloader.queue.QueueSettings queueSettings = io.reloader.queue.QueueSettings.defaults();

    /** The work queue's clock and backoff bounds for the next {@link #start} (time made to pass faster). */
    public void queueSettings(io.reloader.queue.QueueSettings settings) {
        this.queueSettings = settings;
    }

    /** User agent of the controller's requests. */
    public static final String CONTROLLER_AGENT = "reloader-it";
    private ReloaderController controller;
    private KubernetesClient controllerClient;
    private ReloaderMetrics metrics;

    public ControllerHarness() {
        this(false);
    }

    /** With {@code https}, the API server speaks TLS (a self-signed certificate), as every real one does. */
    public ControllerHarness(boolean https) {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        // Mixed: CRUD for everything, except requests a test scripts with server.expect().
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new HookedDispatcher(expectations, requestHooks), https);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient(b -> b
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withTrustCerts(true)
                        .withRequestTimeout(30_000).withRequestRetryBackoffLimit(0).withNamespace("default").build()));
        appender = new CapturingAppender(logLines);
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender.setContext(ctx);
        appender.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        ctx.getLogger("reloader").setLevel(ch.qos.logback.classic.Level.DEBUG);
    }

    /** Starts a controller with the given flags; the coalescing window defaults to 100ms and HTTP is off. */
    public ReloaderController start(String... flags) {
        return start(Map.of(), flags);
    }

    public ReloaderController start(Map<String, String> env, String... flags) {
        List<String> args = new ArrayList<>(List.of("--coalesce-window=100ms", "--http-port=0"));
        args.addAll(Arrays.asList(flags));
        Options options = ControllerFlags.parse(env, args.toArray(String[]::new));
        metrics = new ReloaderMetrics(options.self().metricsByNamespace());
        // The controller has a client of its own, so its requests can be told from the test's (user agent).
        controllerClient = controllerClient(server, options.fieldManager(), metrics, options.reload().hasher(),
                extraInterceptors);
        controller = new ReloaderController(controllerClient, options, metrics, queueSettings);
        queueSettings = io.reloader.queue.QueueSettings.defaults(); // a clock serves one controller
        try {
            controller.start(Duration.ofSeconds(30));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return controller;
    }

    /**
     * A client for a controller under test, built by the production setup (field manager, metrics, JSON), with
     * the controller's user agent so its requests can be told from the test's.
     */
    static KubernetesClient controllerClient(KubernetesMockServer server, String fieldManager, ReloaderMetrics metrics,
                                             Map<String, io.fabric8.kubernetes.client.http.Interceptor> interceptors) {
        return controllerClient(server, fieldManager, metrics, null, interceptors, CONTROLLER_AGENT);
    }

    static KubernetesClient controllerClient(KubernetesMockServer server, String fieldManager, ReloaderMetrics metrics,
                                             io.reloader.hash.SourceHasher hasher,
                                             Map<String, io.fabric8.kubernetes.client.http.Interceptor> interceptors) {
        return controllerClient(server, fieldManager, metrics, hasher, interceptors, CONTROLLER_AGENT);
    }

    /** As above, with a user agent of its own (it must start with {@link #CONTROLLER_AGENT}), e.g. per replica. */
    static KubernetesClient controllerClient(KubernetesMockServer server, String fieldManager, ReloaderMetrics metrics,
                                             Map<String, io.fabric8.kubernetes.client.http.Interceptor> interceptors,
                                             String agent) {
        return controllerClient(server, fieldManager, metrics, null, interceptors, agent);
    }

    /**
     * The production client of the JDK's HTTP client, as the controller ships; {@code hasher} non-null streams
     * Secret lists as the controller's source client does.
     */
    static KubernetesClient controllerClient(KubernetesMockServer server, String fieldManager, ReloaderMetrics metrics,
                                             io.reloader.hash.SourceHasher hasher,
                                             Map<String, io.fabric8.kubernetes.client.http.Interceptor> interceptors,
                                             String agent) {
        return server.createClient(b -> ClientSetup.configure(b
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withUserAgent(agent)
                        .withTrustCerts(true)
                        .withRequestTimeout(30_000).withRequestRetryBackoffLimit(0).withWatchReconnectInterval(100)
                        .build()), fieldManager, metrics, hasher, h -> interceptors.forEach(h::addOrReplaceInterceptor)));
    }

    public void stopController() {
        if (controller != null) {
            controller.close();
            metrics.close();
            controllerClient.close();
            controller = null;
        }
    }

    public ReloaderMetrics metrics() {
        return metrics;
    }

    public ConfigMap configMap(String ns, String name, Map<String, String> data) {
        return client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withNamespace(ns).endMetadata().withData(data).build()).create();
    }

    public ConfigMap updateConfigMap(String ns, String name, Map<String, String> data) {
        return client.configMaps().inNamespace(ns).withName(name)
                .edit(c -> new ConfigMapBuilder(c).withData(data).build());
    }

    /**
     * Creates a workload as the API server would store it. The mock server runs no admission, so for a Job this
     * adds what a real one defaults at creation: the {@code controller-uid} selector and the four generated labels
     * on the pod template (and on the Job when it has none), all naming the uid the server assigned.
     */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T create(T workload) {
        T created = client.resource(workload).create();
        if (created instanceof io.fabric8.kubernetes.api.model.batch.v1.Job job && job.getSpec() != null
                && !Boolean.TRUE.equals(job.getSpec().getManualSelector())) {
            return (T) client.resource(asAdmitted(job)).update();
        }
        return created;
    }

    /** A Job with the selector and labels kube-apiserver's Job defaulting adds (batch/v1, Kubernetes 1.27+). */
    static io.fabric8.kubernetes.api.model.batch.v1.Job asAdmitted(io.fabric8.kubernetes.api.model.batch.v1.Job job) {
        String uid = job.getMetadata().getUid();
        String name = job.getMetadata().getName();
        Map<String, String> generated = new java.util.LinkedHashMap<>();
        generated.put("batch.kubernetes.io/controller-uid", uid);
        generated.put("batch.kubernetes.io/job-name", name);
        generated.put("controller-uid", uid);
        generated.put("job-name", name);
        io.fabric8.kubernetes.api.model.batch.v1.JobBuilder b = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder(job)
                .editSpec().withNewSelector().addToMatchLabels("batch.kubernetes.io/controller-uid", uid).endSelector()
                .editTemplate().editOrNewMetadata().addToLabels(generated).endMetadata().endTemplate().endSpec();
        if (job.getMetadata().getLabels() == null || job.getMetadata().getLabels().isEmpty()) {
            Map<String, String> templateLabels = new java.util.LinkedHashMap<>();
            if (job.getSpec().getTemplate().getMetadata() != null
                    && job.getSpec().getTemplate().getMetadata().getLabels() != null) {
                templateLabels.putAll(job.getSpec().getTemplate().getMetadata().getLabels());
            }
            templateLabels.putAll(generated);
            b.editMetadata().withLabels(templateLabels).endMetadata();
        }
        return b.build();
    }

    public HasMetadata get(WorkloadKind kind, String ns, String name) {
        return Operations.of(client, kind).inNamespace(ns).withName(name).get();
    }

    public PodTemplateSpec template(WorkloadKind kind, String ns, String name) {
        return PodTemplates.of(get(kind, ns, name));
    }

    /** The value of an env var in a workload's container, or null. */
    public String env(WorkloadKind kind, String ns, String name, String container, String var) {
        return template(kind, ns, name).getSpec().getContainers().stream().filter(c -> c.getName().equals(container))
                .flatMap(c -> c.getEnv() == null ? Stream.empty() : c.getEnv().stream())
                .filter(e -> e.getName().equals(var)).map(e -> e.getValue()).findFirst().orElse(null);
    }

    public String templateAnnotation(WorkloadKind kind, String ns, String name, String key) {
        Map<String, String> a = template(kind, ns, name).getMetadata() == null ? null
                : template(kind, ns, name).getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    public List<Event> events(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems();
    }

    public List<String> logLines() {
        return List.copyOf(logLines);
    }

    /** Every request the server received so far (and all earlier ones). */
    public synchronized List<RecordedRequest> requests() {
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                requests.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(requests);
    }

    /** Requests the controller sent (told by its user agent), not the test's own. */
    public List<RecordedRequest> controllerRequests() {
        return requests().stream().filter(ControllerHarness::fromController).toList();
    }

    static boolean fromController(RecordedRequest r) {
        String agent = r.getHeader("User-Agent");
        return agent != null && agent.startsWith(CONTROLLER_AGENT);
    }

    /** Number of PATCH requests the controller sent for one workload. */
    public long patchesTo(String pathSuffix) {
        return controllerRequests().stream().filter(r -> r.getMethod().equals("PATCH") && r.getPath().split("\\?")[0]
                .endsWith(pathSuffix)).count();
    }

    /** Waits until every change seen so far has been written or dropped. */
    public void awaitIdle() {
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(controller.isIdle()).as("controller.isIdle()").isTrue());
    }

    public boolean controllerIdle() {
        return controller.isIdle();
    }

    public static String hashOf(Map<String, String> data) {
        return SourceHasher.configMap(new ConfigMapBuilder().withData(data).build());
    }

    @Override
    public void close() {
        stopController();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
        client.close();
        server.destroy();
    }

    /** Formats captured events exactly as the controller prints them. */
    private static final class CapturingAppender extends AppenderBase<ILoggingEvent> {
        private final List<String> lines;
        private final LogrusLayout layout = new LogrusLayout();

        CapturingAppender(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public void start() {
            layout.setContext(getContext());
            layout.start();
            super.start();
        }

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(layout.doLayout(event).strip());
        }
    }
}
