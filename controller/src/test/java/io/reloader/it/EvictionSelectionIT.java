package io.reloader.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Eviction touches only the workload's own pods: those its whole selector matches (matchLabels and
 * matchExpressions, evaluated by the controller since the in-process API server ignores set-based selectors) and
 * that it owns through a ReplicaSet; an empty selector evicts nothing and says so.
 */
class EvictionSelectionIT extends HarnessIT {
    private static final String NS = "shop";
    private final List<String> evicted = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> toReplace = new LinkedBlockingQueue<>();
    private final Map<String, Runnable> replacements = new ConcurrentHashMap<>();

    private Deployment deployment(String name, Map<String, String> matchLabels, String tierIn) {
        Deployment d = (Deployment) workload(WorkloadKind.DEPLOYMENT, NS, name, Map.of("reloader.stakater.com/auto",
                "true", AnnotationKeys.ROLLOUT_STRATEGY, "evict"), envFromConfigMaps("cfg"));
        DeploymentBuilder b = new DeploymentBuilder(d).editSpec().withNewSelector().withMatchLabels(matchLabels)
                .endSelector().endSpec();
        if (tierIn != null) {
            b.editSpec().editSelector().withMatchExpressions(new LabelSelectorRequirementBuilder().withKey("tier")
                    .withOperator("In").withValues(tierIn).build()).endSelector().endSpec();
        }
        return b.build();
    }

    private HasMetadata replicaSet(String name, String ownerUid) {
        return h.client.resource(new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("app", "shop").addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment")
                .withName(name).withUid(ownerUid).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "shop").endSelector().endSpec().build())
                .create();
    }

    /** A Ready pod with these labels, controlled by {@code owner} (or by nothing). */
    private void pod(String name, Map<String, String> labels, HasMetadata owner) {
        if (!name.endsWith("-new")) {
            replacements.put(name, () -> pod(name + "-new", labels, owner));
        }
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(labels)
                .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("i").endContainer().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
        if (owner != null) {
            b.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind(owner.getKind())
                    .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                    .withController(true).endOwnerReference().endMetadata();
        }
        h.client.resource(b.build()).create();
        // Evicting answers success; the test's kubelet deletes the pod and starts a Ready replacement.
        h.server.expect().post().withPath("/api/v1/namespaces/" + NS + "/pods/" + name + "/eviction?fieldManager=Reloader")
                .andReply(201, r -> {
                    evicted.add(name);
                    toReplace.add(name);
                    return new StatusBuilder().withStatus("Success").build();
                }).always();
    }

    @Test
    void onlyPodsMatchingTheWholeSelectorAndOwnedByTheWorkloadAreEvicted() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        HasMetadata web = h.create(deployment("web", Map.of("app", "shop"), "web"));
        HasMetadata db = h.create(deployment("db", Map.of("app", "shop"), "db"));
        HasMetadata webRs = replicaSet("web-rs", web.getMetadata().getUid());
        HasMetadata dbRs = replicaSet("db-rs", db.getMetadata().getUid());
        HasMetadata strangerRs = replicaSet("stranger-rs", "someone-else");
        pod("web-1", Map.of("app", "shop", "tier", "web"), webRs);
        // db's pod matches web's matchLabels (app=shop) but not its matchExpressions (tier In web).
        pod("db-1", Map.of("app", "shop", "tier", "db"), dbRs);
        // These match web's whole selector but web does not own them.
        pod("stray", Map.of("app", "shop", "tier", "web"), null);
        pod("adopted-elsewhere", Map.of("app", "shop", "tier", "web"), strangerRs);
        startKubelet();
        h.start();

        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        String record = "{\"CONFIGMAP/cfg\":\"" + hashOf(Map.of("k", "v2")) + "\"}";
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(h.get(WorkloadKind.DEPLOYMENT, NS, "web").getMetadata().getAnnotations())
                    .containsEntry(AnnotationKeys.APPLIED_HASHES, record);
            assertThat(h.get(WorkloadKind.DEPLOYMENT, NS, "db").getMetadata().getAnnotations())
                    .containsEntry(AnnotationKeys.APPLIED_HASHES, record);
        });
        assertThat(evicted).containsExactlyInAnyOrder("web-1", "db-1");
        assertThat(h.controllerRequests()).filteredOn(r -> r.getPath().contains("/eviction"))
                .extracting(r -> r.getPath().split("/")[6]).containsOnly("web-1", "db-1");
    }

    @Test
    void anEmptySelectorEvictsNothingAndSaysWhy() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.configMap(NS, "control", Map.of("k", "0"));
        Deployment open = new DeploymentBuilder(deployment("open", Map.of(), null)).editSpec().withNewSelector()
                .endSelector().endSpec().build();
        HasMetadata created = h.create(open);
        HasMetadata rs = replicaSet("open-rs", created.getMetadata().getUid());
        pod("open-1", Map.of("app", "shop"), rs);
        pod("bystander", Map.of("app", "other"), null);
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "control", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("control")));
        h.start();

        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e ->
                "ReloadEvictionSkipped".equals(e.getReason()) && "Warning".equals(e.getType())
                        && "open".equals(e.getInvolvedObject().getName())
                        && e.getMessage().contains("selector is empty")));
        h.updateConfigMap(NS, "control", Map.of("k", "1")); // a barrier: written after open's change was handled
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "control", "app", "STAKATER_CONTROL_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "1"))));
        h.awaitIdle();
        assertThat(evicted).isEmpty();
        assertThat(h.controllerRequests()).noneMatch(r -> r.getPath().contains("/eviction"));
        assertThat(h.get(WorkloadKind.DEPLOYMENT, NS, "open").getMetadata().getAnnotations())
                .as("nothing was restarted, so nothing is recorded").doesNotContainKey(AnnotationKeys.APPLIED_HASHES);
    }

    /** Deletes each evicted pod and starts its Ready replacement, as the API server and the ReplicaSet would. */
    private void startKubelet() {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    String name = toReplace.take();
                    h.client.pods().inNamespace(NS).withName(name).delete();
                    replacements.get(name).run();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    return; // the server is gone: the test is over
                }
            }
        }, "test-kubelet");
        t.setDaemon(true);
        t.start();
    }
}
