package io.reloader.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * rollout-strategy: evict, for a workload an operator owns: its pods are evicted one at a time through the Eviction
 * API (a PodDisruptionBudget's refusal waits), each after the previous replacement is Ready; the template is never
 * written; the hash is recorded in metadata, so a restart evicts nothing again. The test plays the kubelet.
 */
class EvictionIT extends HarnessIT {
    private static final String NS = "shop";
    private final FakeKubelet kubelet = new FakeKubelet();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopKubelet() throws InterruptedException {
        kubelet.close();
    }

    private volatile String replicaSetUid;

    /** A ReplicaSet the Deployment controls, as the Deployment controller would make it. */
    private void replicaSetOf(String deployment) {
        HasMetadata d = h.get(WorkloadKind.DEPLOYMENT, NS, deployment);
        replicaSetUid = h.client.resource(new ReplicaSetBuilder().withNewMetadata().withName(deployment + "-rs")
                .withNamespace(NS).addToLabels("app", deployment).addNewOwnerReference().withApiVersion("apps/v1")
                .withKind("Deployment").withName(deployment).withUid(d.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", deployment)
                .endSelector().endSpec().build()).create().getMetadata().getUid();
    }

    private Pod pod(String name, String app) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", app)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(app + "-rs")
                .withUid(replicaSetUid).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("i").endContainer().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }

    private void expectEviction(String pod, boolean refusedFirst) {
        String path = "/api/v1/namespaces/" + NS + "/pods/" + pod + "/eviction?fieldManager=Reloader";
        if (refusedFirst) {
            h.server.expect().post().withPath(path).andReply(429, r -> {
                log.add("refused " + pod);
                return new StatusBuilder().withCode(429).withReason("TooManyRequests")
                        .withMessage("Cannot evict pod as it would violate the pod's disruption budget.").build();
            }).once();
        }
        h.server.expect().post().withPath(path).andReply(201, r -> {
            log.add("evicted " + pod);
            kubelet.evicted(pod);
            return new StatusBuilder().withStatus("Success").build();
        }).once();
    }

    /** Deletes each evicted pod and starts a Ready replacement, as the kubelet and the ReplicaSet would. */
    private void startKubelet(String app) {
        int[] n = {0};
        kubelet.start(evicted -> {
            h.client.pods().inNamespace(NS).withName(evicted).delete();
            String replacement = app + "-new-" + (++n[0]);
            h.client.resource(pod(replacement, app)).create();
            log.add("ready " + replacement);
        });
    }

    @Test
    void operatorOwnedPodsAreEvictedOneByOneAndTheTemplateIsNotTouched() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.configMap(NS, "control", Map.of("k", "0"));
        Deployment owned = new DeploymentBuilder((Deployment) workload(WorkloadKind.DEPLOYMENT, NS, "grafana",
                Map.of("reloader.stakater.com/auto", "true", AnnotationKeys.ROLLOUT_STRATEGY, "evict"),
                envFromConfigMaps("cfg"))).editMetadata().addNewOwnerReference().withApiVersion("grafana.example.com/v1")
                .withKind("Grafana").withName("grafana").withUid("op-uid").withController(true).endOwnerReference()
                .endMetadata().build();
        h.create(owned);
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "control", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("control")));
        replicaSetOf("grafana");
        h.client.resource(pod("grafana-1", "grafana")).create();
        h.client.resource(pod("grafana-2", "grafana")).create();
        expectEviction("grafana-1", true);
        expectEviction("grafana-2", false);
        startKubelet("grafana");
        h.start();

        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(log).contains("ready grafana-new-2"));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.get(WorkloadKind.DEPLOYMENT, NS, "grafana").getMetadata()
                .getAnnotations()).containsKey(AnnotationKeys.APPLIED_HASHES));
        assertThat(log).containsExactly("refused grafana-1", "evicted grafana-1", "ready grafana-new-1",
                "evicted grafana-2", "ready grafana-new-2");
        Deployment after = (Deployment) h.get(WorkloadKind.DEPLOYMENT, NS, "grafana");
        assertThat(after.getMetadata().getAnnotations()).containsEntry(AnnotationKeys.APPLIED_HASHES,
                "{\"CONFIGMAP/cfg\":\"" + hashOf(Map.of("k", "v2")) + "\"}");
        assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "grafana", "app", "STAKATER_CFG_CONFIGMAP"))
                .as("the template is left to its operator").isNull();
        assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
                .doesNotContainKey(AnnotationKeys.LAST_RELOADED_FROM);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e -> "Reloaded".equals(e.getReason())
                && "grafana".equals(e.getInvolvedObject().getName())));
        assertThat(h.metrics().scrape()).contains("reloader_pods_evicted_total 2.0");

        h.stopController();
        h.start(); // the record says the pods run v2: nothing is evicted again
        h.updateConfigMap(NS, "control", Map.of("k", "1"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "control", "app", "STAKATER_CONTROL_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "1"))));
        h.awaitIdle();
        assertThat(log).filteredOn(l -> l.startsWith("evicted")).hasSize(2);
    }

    @Test
    void aRevertOnAnOperatorOwnedWorkloadPointsAtTheEvictStrategy() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        Deployment owned = new DeploymentBuilder((Deployment) workload(WorkloadKind.DEPLOYMENT, NS, "grafana",
                Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("cfg"))).editMetadata()
                .addNewOwnerReference().withApiVersion("grafana.example.com/v1").withKind("Grafana").withName("grafana")
                .withUid("op-uid").withController(true).endOwnerReference().endMetadata().build();
        h.create(owned);
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "grafana", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        h.awaitIdle();
        // The operator resets its template.
        h.client.apps().deployments().inNamespace(NS).withName("grafana").edit(d -> new DeploymentBuilder(d).editSpec()
                .editTemplate().editSpec().editFirstContainer().withEnv().endContainer().endSpec().endTemplate()
                .endSpec().build());
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e ->
                "ReloadMarkerReverted".equals(e.getReason())
                        && e.getMessage().contains("reloader.stakater.com/rollout-strategy: evict")));
    }
}
