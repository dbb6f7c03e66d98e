package io.reloader.cli;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.reloader.kube.EventLoopProbe;
import io.reloader.kube.OffLoopHttpClientFactory;
import io.reloader.kube.SourceListInterceptor;
import io.reloader.hash.SourceHasher;
import io.reloader.report.ReloaderMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.reloader.report.RestClientMetrics;
import io.reloader.write.FieldManagerInterceptor;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.apps.DaemonSetList;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.StatefulSetList;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobList;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What every client this program builds carries: the field manager on writes, request metrics, and a JSON
 * parser that does not recycle its buffers.
 */
public final class ClientSetup {
    private ClientSetup() {
    }

    static KubernetesClientBuilder configure(KubernetesClientBuilder b, String fieldManager, ReloaderMetrics metrics) {
        return configure(b, fieldManager, metrics, h -> { });
    }

    /**
     * The production setup, plus {@code more} on the HTTP client (tests add fault injection there). Tests build
     * their controllers' clients through this, so losing the field manager here fails them.
     */
    public static KubernetesClientBuilder configure(KubernetesClientBuilder b, String fieldManager,
                                                    ReloaderMetrics metrics,
                                                    java.util.function.Consumer<HttpClient.Builder> more) {
        return configure(b, fieldManager, metrics, null, more);
    }

    /**
     * As above, for the client that watches sources: Secret lists are hashed with {@code hasher} (the one the
     * controller's options name) while they arrive, and ConfigMap lists with it. Null for a client that lists no sources.
     */
    public static KubernetesClientBuilder configure(KubernetesClientBuilder b, String fieldManager,
                                                    ReloaderMetrics metrics, SourceHasher hasher,
                                                    java.util.function.Consumer<HttpClient.Builder> more) {
        return b.withKubernetesSerialization(serialization())
                .withHttpClientBuilderConsumer(h -> {
                    h.addOrReplaceInterceptor("fieldManager", new FieldManagerInterceptor(fieldManager))
                            .addOrReplaceInterceptor("restClientMetrics", new RestClientMetrics(metrics));
                    if (hasher != null) {
                        h.addOrReplaceInterceptor(SourceListInterceptor.NAME, new SourceListInterceptor(hasher, DigestThreads.POOL));
                    }
                    more.accept(h);
                });
    }

    /**
     * Where source lists are digested while they arrive: off the HTTP client's event loops (which carry every
     * response and watch event), two lists at a time. Created on first use; daemon threads.
     */
    private static final class DigestThreads {
        static final java.util.concurrent.ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "reloader-source-digest");
            t.setDaemon(true);
            return t;
        });
    }

    /** The HTTP client's own Vert.x, with a probe measuring how busy its event loops are. */
    record HttpRuntime(Vertx vertx, EventLoopProbe probe, ExecutorService worker) implements AutoCloseable {
        @Override
        public void close() {
            probe.close();
            worker.shutdownNow();
            vertx.close();
        }
    }

    /**
     * Vert.x as fabric8 creates it for its client (daemon threads, no file caching), created here so that the
     * probe can run on the same event loops that carry every response and watch event.
     */
    static HttpRuntime httpRuntime(ReloaderMetrics metrics) {
        VertxOptions options = new VertxOptions().setUseDaemonThread(true).setFileSystemOptions(
                new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false));
        Vertx vertx = Vertx.vertx(options);
        // Responses are parsed here, off the event loops; one thread per core, like the loops themselves.
        ExecutorService worker = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> {
                    Thread t = new Thread(r, "reloader-http-response");
                    t.setDaemon(true);
                    return t;
                });
        return new HttpRuntime(vertx, EventLoopProbe.start(vertx, options.getEventLoopPoolSize(),
                Duration.ofMillis(100), metrics::eventLoopDelay), worker);
    }

    static KubernetesClientBuilder builder(HttpRuntime http) {
        return new KubernetesClientBuilder().withHttpClientFactory(
                new OffLoopHttpClientFactory(new LargeChunks(http.vertx()), http.worker()));
    }

    /**
     * Response bodies in chunks of up to 64 KiB instead of Vert.x's 8 KiB: every chunk of a source list is handed
     * to a digest thread and back before the next is asked for, so a page of large Secrets (11 MB) costs 1,400
     * such round trips at 8 KiB, a large part of the time it takes to list them.
     */
    private static final class LargeChunks extends Vertx5HttpClientFactory {
        LargeChunks(Vertx vertx) {
            super(vertx);
        }

        @Override
        protected void additionalConfig(io.vertx.ext.web.client.WebClientOptions client,
                                        io.vertx.core.http.WebSocketClientOptions webSocket,
                                        io.vertx.core.http.PoolOptions pool) {
            client.setMaxChunkSize(64 * 1024);
        }
    }

    /**
     * Builds the JSON readers of the lists the controller starts with on a second thread, while the first
     * requests are on their way: Jackson introspects a model class graph (PodSpec and all below it) the first time
     * it reads it, which would otherwise happen one list after another on the start-up path.
     */
    static void warmUp(KubernetesSerialization serialization) {
        Thread t = new Thread(() -> {
            for (Class<?> list : List.of(ConfigMapList.class, SecretList.class, DeploymentList.class,
                    DaemonSetList.class, StatefulSetList.class, CronJobList.class, JobList.class)) {
                serialization.unmarshal("{\"items\":[]}", list);
            }
        }, "reloader-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Jackson's default recycler keeps each thread's last read buffer alive, and with it the raw JSON of the last
     * Secret that thread parsed; a non-recycling pool lets those bytes be collected (secret data never stays in
     * long-lived memory). Parsing costs a buffer allocation more per response.
     */
    static KubernetesSerialization serialization() {
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.nonRecyclingPool()).build();
        return new io.reloader.kube.BytesSerialization(JsonMapper.builder(factory).build());
    }
}
