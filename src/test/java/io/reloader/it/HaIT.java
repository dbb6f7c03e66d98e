package io.reloader.it;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.cli.ControllerFlags;
import io.reloader.cli.ControllerRuntime;
import io.reloader.model.WorkloadKind;
import io.reloader.report.ReloaderMetrics;
import io.reloader.write.FieldManagerInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two replicas with leader election on one API server: one leads, a takeover rolls nothing, changes reload once. */
class HaIT extends HarnessTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private record Replica(ControllerRuntime runtime, KubernetesClient client) {
    }

    private ControllerRuntime replica(String name) throws Exception {
        return start(name).runtime();
    }

    private Replica start(String name) throws Exception {
        KubernetesClient client = h.server.createClient(b -> b
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(h.server.url("/")).withRequestTimeout(30_000)
                        .withRequestRetryBackoffLimit(0).build())
                .withHttpClientBuilderConsumer(x -> x.addOrReplaceInterceptor("fm", new FieldManagerInterceptor("Reloader"))));
        ReloaderMetrics metrics = new ReloaderMetrics();
        Map<String, String> env = Map.of("POD_NAME", name, "POD_NAMESPACE", "reloader");
        ControllerRuntime runtime = new ControllerRuntime(client, ControllerFlags.parse(env, "--enable-ha",
                "--http-port=0", "--coalesce-window=0s", "--leader-election-lease-duration=3s",
                "--leader-election-renew-deadline=2s", "--leader-election-retry-period=200ms"), metrics, env);
        closeables.add(client);
        closeables.add(metrics);
        closeables.add(runtime);
        runtime.start();
        return new Replica(runtime, client);
    }

    @Test
    void whenTheLeaderDiesWithoutReleasingTheStandbyTakesOverAfterTheLease() throws Exception {
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        Replica a = start("pod-a");
        await().atMost(20, TimeUnit.SECONDS).until(() -> a.runtime().isLeading());
        Replica b = start("pod-b");
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> hashOf(Map.of("k", "v2"))
                .equals(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> a.runtime().isIdle());

        a.client().close(); // like kill -9: no more renewals, no release
        await().atMost(30, TimeUnit.SECONDS).until(() -> b.runtime().isLeading());
        await().atMost(10, TimeUnit.SECONDS).until(() -> b.runtime().isIdle());
        assertThat(h.patchesTo("/deployments/web")).as("the takeover rolls nothing").isEqualTo(1);
        h.updateConfigMap("shop", "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> hashOf(Map.of("k", "v3"))
                .equals(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> b.runtime().isIdle());
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
        await().atMost(20, TimeUnit.SECONDS).until(() -> a.isLeading() || b.isLeading());
        assertThat(a.isLeading() && b.isLeading()).isFalse();
        assertThat(a.isReady()).isTrue();
        assertThat(b.isReady()).isTrue();
        ControllerRuntime leader = a.isLeading() ? a : b;
        ControllerRuntime standby = leader == a ? b : a;
        assertThat(holder()).isEqualTo(leader == a ? "pod-a" : "pod-b");

        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> hashOf(Map.of("k", "v2"))
                .equals(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")));
        await().atMost(10, TimeUnit.SECONDS).until(leader::isIdle);
        assertThat(h.patchesTo("/deployments/web")).isEqualTo(1);

        leader.close(); // releases the Lease
        await().atMost(20, TimeUnit.SECONDS).until(standby::isLeading);
        await().atMost(10, TimeUnit.SECONDS).until(standby::isIdle);
        assertThat(h.patchesTo("/deployments/web")).as("a leader change rolls nothing").isEqualTo(1);

        h.updateConfigMap("shop", "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> hashOf(Map.of("k", "v3"))
                .equals(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")));
        await().atMost(10, TimeUnit.SECONDS).until(standby::isIdle);
        assertThat(h.patchesTo("/deployments/web")).isEqualTo(2);
        assertThat(h.requests()).filteredOn(r -> r.getPath().contains("/leases") && !r.getMethod().equals("GET"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.getPath()).contains("fieldManager=Reloader"));
    }
}
