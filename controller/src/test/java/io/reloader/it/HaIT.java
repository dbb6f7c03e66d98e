package io.reloader.it;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.reloader.cli.ControllerFlags;
import io.reloader.cli.ControllerRuntime;
import io.reloader.cli.HaReplica;
import io.reloader.config.Options;
import io.reloader.ha.LeaderLease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import io.reloader.model.WorkloadKind;
import io.reloader.report.ReloaderMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two replicas with leader election on one API server: one leads, a takeover rolls nothing, changes reload once. */
class HaIT extends HarnessIT {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private record Replica(ControllerRuntime runtime, KubernetesClient client, KubernetesClient election) {
    }

    private ControllerRuntime replica(String name) throws Exception {
        return start(name).runtime();
    }

    private Replica start(String name) throws Exception {
        return start(name, Map.of());
    }

    private Replica start(String name, Map<String, Interceptor> interceptors) throws Exception {
        return start(name, interceptors, Map.of());
    }

    /**
     * A replica wired as {@code Main} wires it: the controller's client fenced by the replica's Lease, and the
     * election on a client of its own (short timeouts, no retries). Its requests carry the user agent
     * {@code reloader-it/<name>}, so the API server can tell the replicas apart.
     */
    private Replica start(String name, Map<String, Interceptor> interceptors, Map<String, String> moreEnv) throws Exception {
        ReloaderMetrics metrics = new ReloaderMetrics();
        Map<String, String> env = new HashMap<>(Map.of("POD_NAME", name, "POD_NAMESPACE", "reloader"));
        env.putAll(moreEnv);
        Options options = ControllerFlags.parse(env, "--enable-ha", "--http-port=0", "--coalesce-window=0s",
                "--leader-election-lease-duration=" + LEASE.toMillis() + "ms",
                "--leader-election-renew-deadline=" + RENEW.toMillis() + "ms", "--leader-election-retry-period=200ms");
        LeaderLease lease = new LeaderLease(Clock.systemUTC(), options.ha());
        Map<String, Interceptor> all = new HashMap<>(interceptors);
        all.put("writeFence", HaReplica.fence(lease, options.ha()));
        String agent = ControllerHarness.CONTROLLER_AGENT + "/" + name;
        KubernetesClient client = ControllerHarness.controllerClient(h.server, "Reloader", metrics, all, agent);
        KubernetesClient election = HaReplica.electionClient(new KubernetesClientBuilder(),
                new ConfigBuilder(client.getConfiguration()).build(), options.ha(), "Reloader", metrics, b -> { });
        ControllerRuntime runtime = new ControllerRuntime(client, options, metrics, new HaReplica(lease, election))
                .metaInfo(Map.of("enableHA", true));
        closeables.add(client);
        closeables.add(metrics);
        closeables.add(runtime);
        runtime.start();
        return new Replica(runtime, client, election);
    }

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration RENEW = Duration.ofSeconds(2);

    /** A request as the API server received it, with its arrival time. */
    private record Seen(long nanos, String agent, String method, String path) {
        boolean isWrite() {
            return !method.equals("GET") && !path.contains("/leases");
        }
    }

    private List<Seen> recordArrivals() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        h.onRequest(r -> {
            seen.add(new Seen(System.nanoTime(), String.valueOf(r.getHeader("User-Agent")), r.getMethod(), r.getPath()));
            return null;
        });
        return seen;
    }

    /**
     * The leader's Lease renewals hang: the API server holds its Lease writes unanswered. Its last renewal ran
     * before the hold began, so from then on, after the lease duration at the latest, it must not write: the
     * standby may be leading by then. The standby takes over and reloads; the held leader wrote nothing after
     * the lease duration, counted at the API server (a controller that kept acting as leader would have written
     * the second change too).
     */
    @Test
    void aLeaderWhoseRenewalsHangWritesNothingOnceTheLeaseDurationPassedWhileTheStandbyTakesOver() throws Exception {
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        List<Seen> seen = recordArrivals();
        AtomicBoolean hold = new AtomicBoolean();
        String agentA = ControllerHarness.CONTROLLER_AGENT + "/pod-a";
        h.onRequest(r -> hold.get() && agentA.equals(r.getHeader("User-Agent")) && r.getPath().contains("/leases")
                && (r.getMethod().equals("PUT") || r.getMethod().equals("PATCH"))
                ? new MockResponse().setResponseCode(200).setBody("{}").setBodyDelay(Duration.ofSeconds(60)) : null);
        Replica a = start("pod-a");
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.runtime().isLeading()).as("a.runtime().isLeading()").isTrue());
        Replica b = start("pod-b");
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isReady()).as("b.runtime().isReady()").isTrue());

        // Control: the healthy leader writes.
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.runtime().isIdle()).as("a.runtime().isIdle()").isTrue());
        assertThat(seen).filteredOn(s -> s.agent().equals(agentA) && s.isWrite()).as("A wrote while healthy").isNotEmpty();

        long heldAt = System.nanoTime();
        hold.set(true);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isLeading()).as("b.runtime().isLeading()").isTrue());
        // A's last accepted renewal started before the hold: its Lease is over by then at the latest.
        long expired = heldAt + LEASE.toNanos();

        h.updateConfigMap("shop", "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v3"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isIdle()).as("b.runtime().isIdle()").isTrue());
        // Barrier: one more change, written by B, arrives after anything A could still have sent for v3.
        h.updateConfigMap("shop", "cfg", Map.of("k", "v4"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v4"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isIdle()).as("b.runtime().isIdle()").isTrue());

        assertThat(seen).filteredOn(s -> s.agent().equals(agentA) && s.isWrite() && s.nanos() > expired)
                .as("writes of the held leader after its lease duration").isEmpty();
        assertThat(seen).filteredOn(s -> s.agent().equals(ControllerHarness.CONTROLLER_AGENT + "/pod-b")
                && s.method().equals("PATCH") && s.path().contains("/deployments/web")).as("B reloaded").hasSize(2);
        assertThat(a.runtime().isLive()).as("the held leader stepped down and asks to be restarted").isFalse();
        assertThat(a.runtime().isWatching()).as("no watch of the held leader stays open").isFalse();
    }

    /** Standbys do not write {@code reloader-meta-info}; the leader writes it, and so does the next on takeover. */
    @Test
    void onlyTheLeaderWritesMetaInfo() throws Exception {
        List<Seen> seen = recordArrivals();
        Map<String, String> env = Map.of("RELOADER_NAMESPACE", "reloader", "RELOADER_DEPLOYMENT_NAME", "reloader");
        Replica a = start("pod-a", Map.of(), env);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.runtime().isLeading()).as("a.runtime().isLeading()").isTrue());
        Replica b = start("pod-b", Map.of(), env);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isReady()).as("b.runtime().isReady()").isTrue());
        java.util.function.Predicate<Seen> metaInfoWrite = s -> s.isWrite() && s.path().contains("/configmaps");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(seen).filteredOn(metaInfoWrite)
                .extracting(Seen::agent).containsOnly(ControllerHarness.CONTROLLER_AGENT + "/pod-a"));
        assertThat(h.client.configMaps().inNamespace("reloader").withName("reloader-meta-info").get()).isNotNull();

        a.runtime().close(); // releases the Lease
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isLeading()).as("b.runtime().isLeading()").isTrue());
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(seen).filteredOn(metaInfoWrite)
                .filteredOn(s -> s.agent().endsWith("/pod-b")).isNotEmpty());
    }

    @Test
    void whenTheLeaderDiesWithoutReleasingTheStandbyTakesOverAfterTheLease() throws Exception {
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        Replica a = start("pod-a");
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.runtime().isLeading()).as("a.runtime().isLeading()").isTrue());
        Replica b = start("pod-b");
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.runtime().isIdle()).as("a.runtime().isIdle()").isTrue());

        a.election().close(); // like kill -9: no more renewals, no release
        a.client().close();
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isLeading()).as("b.runtime().isLeading()").isTrue());
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isIdle()).as("b.runtime().isIdle()").isTrue());
        assertThat(h.patchesTo("/deployments/web")).as("the takeover rolls nothing").isEqualTo(1);
        h.updateConfigMap("shop", "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v3"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isIdle()).as("b.runtime().isIdle()").isTrue());
        assertThat(h.patchesTo("/deployments/web")).isEqualTo(2);
    }

    private String holder() {
        Lease lease = h.client.leases().inNamespace("reloader").withName("stakater-reloader-lock").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void oneLeaderAndATakeoverThatReloadsExactlyOnce() throws Exception {
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        ControllerRuntime a = replica("pod-a");
        ControllerRuntime b = replica("pod-b");
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.isLeading() || b.isLeading()).as("a.isLeading() || b.isLeading()").isTrue());
        assertThat(a.isLeading() && b.isLeading()).isFalse();
        assertThat(a.isReady()).isTrue();
        assertThat(b.isReady()).isTrue();
        ControllerRuntime leader = a.isLeading() ? a : b;
        ControllerRuntime standby = leader == a ? b : a;
        assertThat(holder()).isEqualTo(leader == a ? "pod-a" : "pod-b");

        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(leader.isIdle()).as("leader::isIdle").isTrue());
        assertThat(h.patchesTo("/deployments/web")).isEqualTo(1);

        leader.close(); // releases the Lease
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(standby.isLeading()).as("standby::isLeading").isTrue());
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(standby.isIdle()).as("standby::isIdle").isTrue());
        assertThat(h.patchesTo("/deployments/web")).as("a leader change rolls nothing").isEqualTo(1);

        h.updateConfigMap("shop", "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v3"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(standby.isIdle()).as("standby::isIdle").isTrue());
        assertThat(h.patchesTo("/deployments/web")).isEqualTo(2);
        assertThat(h.requests()).filteredOn(r -> r.getPath().contains("/leases") && !r.getMethod().equals("GET"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.getPath()).contains("fieldManager=Reloader"));
    }

    /**
     * Losing the Lease while the caches are still syncing stops everything start-up had begun: no watch stays open
     * and nothing is listed, watched or written afterwards. Replica A's Deployment list fails (503) until the test
     * lets it through, so A holds the Lease without being synced; then another holder takes the Lease.
     */
    @Test
    void aReplicaThatLosesTheLeaseMidSyncNeverWatchesOrWritesAfterwards() throws Exception {
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.server.expect().get().withPath("/apis/apps/v1/deployments-unavailable?limit=500")
                .andReturn(503, new StatusBuilder().withCode(503).withReason("ServiceUnavailable").build()).always();
        AtomicBoolean failDeploymentList = new AtomicBoolean(true);
        AtomicInteger deploymentListAttempts = new AtomicInteger();
        AtomicBoolean lost = new AtomicBoolean();
        List<String> afterLoss = new CopyOnWriteArrayList<>();
        Interceptor faults = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                URI uri = request.uri();
                if (lost.get() && !uri.getPath().contains("/leases")) {
                    afterLoss.add(request.method() + " " + uri);
                }
                if (uri.getPath().equals("/apis/apps/v1/deployments") && !String.valueOf(uri.getQuery()).contains("watch")) {
                    deploymentListAttempts.incrementAndGet();
                    if (failDeploymentList.get()) {
                        builder.uri(uri.resolve("/apis/apps/v1/deployments-unavailable?limit=500"));
                    }
                }
            }
        };
        Replica a = start("pod-a", Map.of("faults", faults));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(holder()).isEqualTo("pod-a");
            assertThat(deploymentListAttempts.get()).isGreaterThanOrEqualTo(2);
        });
        assertThat(a.runtime().isLeading()).as("leader, still syncing").isFalse();
        Replica b = start("pod-b");

        // Someone else takes the Lease (as after a network partition); A's renewals fail and it steps down.
        // (A renews every 200 ms, so the edit may meet a conflict: retry it.)
        await().atMost(10, TimeUnit.SECONDS).ignoreExceptions().untilAsserted(() -> assertThat(h.client.leases()
                .inNamespace("reloader").withName("stakater-reloader-lock").edit(l -> new LeaseBuilder(l)
                        .editSpec().withHolderIdentity("intruder").withLeaseDurationSeconds(4)
                        .withRenewTime(ZonedDateTime.now()).endSpec().build()).getSpec().getHolderIdentity()).isEqualTo("intruder"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.runtime().isLive()).as("a.runtime().isLive()").isFalse());
        lost.set(true);
        failDeploymentList.set(false); // a start-up that did not stop would now sync, watch sources and catch up

        // Barrier: B takes over once the intruder's Lease expires, and reloads a change made after that.
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isLeading()).as("b.runtime().isLeading()").isTrue());
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.runtime().isIdle()).as("b.runtime().isIdle()").isTrue());
        assertThat(a.runtime().isWatching()).as("no watch of A stays open").isFalse();
        assertThat(afterLoss).as("A sent nothing but Lease calls after losing it").isEmpty();
        assertThat(h.patchesTo("/deployments/web")).as("only B wrote, once").isEqualTo(1);
    }
}
