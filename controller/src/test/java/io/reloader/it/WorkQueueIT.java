package io.reloader.it;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import io.reloader.queue.QueueSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The work queue under failure: waits and retries are requeues, so what one workload waits for (a
 * PodDisruptionBudget, an API outage) never holds up another's reload, and a failed attempt never loses a change.
 */
class WorkQueueIT extends HarnessIT {
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");
    private final FakeKubelet kubelet = new FakeKubelet();

    @AfterEach
    void stopKubelet() throws InterruptedException {
        kubelet.close();
    }

    /** Sends the controller's requests that {@code matches} selects to {@code path} while {@code on} says so. */
    private void divert(String name, String method, Predicate<String> matches, String path, int code,
                        java.util.function.BooleanSupplier on, java.util.function.Consumer<String> diverted) {
        Status status = new StatusBuilder().withCode(code).withReason(code == 429 ? "TooManyRequests"
                : "ServiceUnavailable").withMessage("injected").build();
        for (String p : List.of(path, path + "?fieldManager=Reloader")) {
            if (method.equals("POST")) {
                h.server.expect().post().withPath(p).andReturn(code, status).always();
            } else {
                h.server.expect().patch().withPath(p).andReturn(code, status).always();
            }
        }
        h.interceptControllerRequests(name, new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                URI uri = request.uri();
                if (request.method().equals(method) && matches.test(uri.getPath()) && on.getAsBoolean()) {
                    diverted.accept(uri.getPath());
                    builder.uri(uri.resolve(path));
                }
            }
        });
    }

    private HasMetadata replicaSetOf(String ns, String deployment) {
        HasMetadata d = h.get(WorkloadKind.DEPLOYMENT, ns, deployment);
        return h.client.resource(new ReplicaSetBuilder().withNewMetadata().withName(deployment + "-rs").withNamespace(ns)
                .addToLabels("app", deployment).addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment")
                .withName(deployment).withUid(d.getMetadata().getUid()).withController(true).endOwnerReference()
                .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", deployment).endSelector()
                .endSpec().build()).create();
    }

    private void readyPod(String ns, String name, String app, HasMetadata owner) {
        h.client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", app)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withNewSpec().addNewContainer().withName("app").withImage("i")
                .endContainer().endSpec().withNewStatus().addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build()).create();
    }

    @Test
    void evictionsRefusedByAPodDisruptionBudgetDoNotHoldUpOtherWorkloadsReloads() {
        String ns = "pdb";
        AtomicInteger refused = new AtomicInteger();
        Set<String> refusedPods = ConcurrentHashMap.newKeySet();
        h.configMap(ns, "shared", Map.of("k", "0"));
        Map<String, HasMetadata> replicaSets = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            String name = "guarded-" + i;
            h.create(workload(WorkloadKind.DEPLOYMENT, ns, name, Map.of("reloader.stakater.com/auto", "true",
                    AnnotationKeys.ROLLOUT_STRATEGY, "evict"), envFromConfigMaps("shared")));
            replicaSets.put(name, replicaSetOf(ns, name));
            readyPod(ns, name + "-pod", name, replicaSets.get(name));
            h.server.expect().post().withPath("/api/v1/namespaces/" + ns + "/pods/" + name
                    + "-pod/eviction?fieldManager=Reloader").andReply(201, r -> {
                        kubelet.evicted(name);
                        return new StatusBuilder().withStatus("Success").build();
                    }).always();
        }
        for (int i = 0; i < 20; i++) {
            h.configMap(ns, "cfg-" + i, Map.of("k", "0"));
            h.create(workload(WorkloadKind.DEPLOYMENT, ns, "free-" + i, AUTO, envFromConfigMaps("cfg-" + i)));
        }
        // The PodDisruptionBudget refuses every eviction until the test lets go: longer than the test needs.
        java.util.concurrent.atomic.AtomicBoolean pdbRefuses = new java.util.concurrent.atomic.AtomicBoolean(true);
        divert("pdb", "POST", p -> p.endsWith("/eviction"), "/refused-eviction", 429, pdbRefuses::get, p -> {
            refused.incrementAndGet();
            refusedPods.add(p.split("/")[6]);
        });
        h.start("--coalesce-window=2s", "--quiet-period=300ms");
        h.updateConfigMap(ns, "shared", Map.of("k", "1"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(refusedPods.size()).isEqualTo(8));

        Map<String, Long> changedAt = new ConcurrentHashMap<>();
        Map<String, Long> reloadedAt = new ConcurrentHashMap<>();
        String hash = hashOf(Map.of("k", "1"));
        // A watch sees each write as it happens, without the test loading the API server with polls.
        try (var watch = h.client.apps().deployments().inNamespace(ns).watch(new Watcher<Deployment>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                String name = d.getMetadata().getName();
                if (name.startsWith("free-") && d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                        .stream().anyMatch(e -> hash.equals(e.getValue()))) {
                    reloadedAt.putIfAbsent(name, System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            for (int i = 0; i < 20; i++) {
                changedAt.put("free-" + i, System.nanoTime());
                h.updateConfigMap(ns, "cfg-" + i, Map.of("k", "1"));
            }
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(reloadedAt.size()).isEqualTo(20));
        }
        int refusedWhileReloading = refused.get();
        // 1 s plus the quiet period; on a machine loaded past its cores (shared CI) the bound stretches with the
        // load, which still tells a queue from workers pinned by waits (those never reload within the test).
        double load = Math.max(1, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage() / Runtime.getRuntime().availableProcessors());
        Duration bound = Duration.ofMillis((long) (1300 * load));
        changedAt.forEach((name, at) -> assertThat(Duration.ofNanos(reloadedAt.get(name) - at))
                .as("%s reloaded within 1 s plus the quiet period (load factor %.1f) while 8 evictions were refused",
                        name, load).isLessThanOrEqualTo(bound));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(refused.get()).isGreaterThan(refusedWhileReloading));
        assertThat(h.get(WorkloadKind.DEPLOYMENT, ns, "guarded-0").getMetadata().getAnnotations())
                .as("nothing was recorded while the evictions were refused")
                .doesNotContainKey(AnnotationKeys.APPLIED_HASHES);

        // The budget allows evictions again: every refused restart is carried out, none was dropped.
        startKubelet(ns, replicaSets);
        pdbRefuses.set(false);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            for (int i = 0; i < 8; i++) {
                assertThat(h.get(WorkloadKind.DEPLOYMENT, ns, "guarded-" + i).getMetadata().getAnnotations())
                        .containsEntry(AnnotationKeys.APPLIED_HASHES, "{\"CONFIGMAP/shared\":\"" + hash + "\"}");
            }
        });
        assertThat(h.events(ns)).noneMatch(e -> "ReloadFail".equals(e.getReason()));
    }

    /** Deletes each evicted pod and starts a Ready replacement, as the kubelet and the ReplicaSet would. */
    private void startKubelet(String ns, Map<String, HasMetadata> replicaSets) {
        kubelet.start(workload -> {
            h.client.pods().inNamespace(ns).withName(workload + "-pod").delete();
            readyPod(ns, workload + "-new", workload, replicaSets.get(workload));
        });
    }

    @Test
    void aThreeMinuteOutageOfWorkloadWritesEndsInTheReloadWithoutASecondChange() {
        String ns = "outage";
        // Queue time runs 100 times faster: the real backoff (5 ms doubling to 1000 s) over three minutes of
        // outage takes seconds.
        ScaledQueueClock clock = new ScaledQueueClock(100);
        h.queueSettings(QueueSettings.defaults().withClock(clock));
        h.configMap(ns, "cfg", Map.of("k", "0"));
        h.create(workload(WorkloadKind.DEPLOYMENT, ns, "web", AUTO, envFromConfigMaps("cfg")));
        long[] outageStart = {Long.MAX_VALUE};
        AtomicInteger failedWrites = new AtomicInteger();
        divert("outage", "PATCH", p -> p.startsWith("/apis/apps/v1/namespaces/" + ns + "/deployments/"),
                "/outage", 503, () -> outageStart[0] != Long.MAX_VALUE
                        && clock.since(outageStart[0]).compareTo(Duration.ofMinutes(3)) < 0,
                p -> failedWrites.incrementAndGet());
        h.start();
        outageStart[0] = clock.nanoTime();
        h.updateConfigMap(ns, "cfg", Map.of("k", "1"));

        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, ns, "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "1"))));
        assertThat(clock.since(outageStart[0])).as("written after the outage ended")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(3));
        assertThat(failedWrites.get()).as("attempts backed off exponentially: a dozen or so in three minutes")
                .isBetween(8, 25);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(ns)).anyMatch(e -> "Reloaded".equals(e.getReason())));
        List<Event> retrying = h.events(ns).stream().filter(e -> "ReloadRetrying".equals(e.getReason())).toList();
        assertThat(retrying).as("one Warning, counted up instead of one per attempt").singleElement()
                .satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getCount()).isGreaterThan(1);
                    assertThat(e.getMessage()).contains("Deployment 'web'", "HTTP 503", "retrying");
                });
        assertThat(h.events(ns)).noneMatch(e -> "ReloadFail".equals(e.getReason()));
        assertThat(h.metrics().scrape())
                .containsPattern("workqueue_retries_total\\{name=\"reloader\"} (8|9|[1-9][0-9])\\.0")
                .containsPattern("reloader_retries_total (8|9|[1-9][0-9])\\.0")
                .contains("reloader_reload_executed_total{success=\"false\"} 0.0")
                .contains("workqueue_depth{name=\"reloader\"}")
                .contains("workqueue_adds_total{name=\"reloader\"}")
                .contains("workqueue_work_duration_seconds_bucket{name=\"reloader\",le=\"1.0E-8\"}")
                .contains("workqueue_queue_duration_seconds_bucket{name=\"reloader\",le=\"1000.0\"}")
                .contains("workqueue_unfinished_work_seconds{name=\"reloader\"}")
                .contains("workqueue_longest_running_processor_seconds{name=\"reloader\"}");
    }
}
