package io.reloader.it;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rollout pacing: a minimum interval per workload, and one workload at a time per source. */
class RolloutControlIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");

    private String var(String name) {
        return h.env(D, NS, name, "app", "STAKATER_CFG_CONFIGMAP");
    }

    @Test
    void changesWithinTheMinimumIntervalMakeOneLaterRollout() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        h.create(workload(D, NS, "web", Map.of("reloader.stakater.com/auto", "true",
                "reloader.stakater.com/min-rollout-interval", "2s"), envFromConfigMaps("cfg")));
        h.start("--coalesce-window=0s");
        h.updateConfigMap(NS, "cfg", Map.of("k", "2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "2"))));
        h.updateConfigMap(NS, "cfg", Map.of("k", "3"));
        h.updateConfigMap(NS, "cfg", Map.of("k", "4"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "4"))));
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web")).as("one rollout for the first change, one for the next two")
                .isEqualTo(2);
        assertThat(h.logLines()).anyMatch(l -> l.contains("Deferring reload of 'web'"));
    }

    @Test
    void sequentialRolloutsWaitForThePreviousWorkloadToBeAvailable() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        h.create(workload(D, NS, "first", AUTO, envFromConfigMaps("cfg")));
        h.create(workload(D, NS, "second", AUTO, envFromConfigMaps("cfg")));
        h.start("--coalesce-window=0s", "--sequential-rollouts");
        h.updateConfigMap(NS, "cfg", Map.of("k", "2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("first") != null || var("second") != null).as("var(\"first\") != null || var(\"second\") != null").isTrue());
        String leader = var("first") != null ? "first" : "second";
        String follower = leader.equals("first") ? "second" : "first";
        assertThat(var(follower)).as("the follower waits while the leader is not available").isNull();

        // The leader's rollout finishes: the kubelet and controller-manager would report this status.
        Deployment d = h.client.apps().deployments().inNamespace(NS).withName(leader).get();
        h.client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder(d).withNewStatus()
                .withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(1).withUpdatedReplicas(1)
                .withAvailableReplicas(1).withReadyReplicas(1).endStatus().build()).update();
        int statusWrite = indexOfLast(h.requests(), "PUT", "/deployments/" + leader);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var(follower)).isNotNull());
        int followerWrite = indexOfLast(h.requests(), "PATCH", "/deployments/" + follower);
        assertThat(followerWrite).as("the follower is written after the leader became available").isGreaterThan(statusWrite);
    }

    private static int indexOfLast(List<RecordedRequest> requests, String method, String path) {
        for (int i = requests.size() - 1; i >= 0; i--) {
            if (requests.get(i).getMethod().equals(method) && requests.get(i).getPath().split("\\?")[0].endsWith(path)) {
                return i;
            }
        }
        return -1;
    }
}
