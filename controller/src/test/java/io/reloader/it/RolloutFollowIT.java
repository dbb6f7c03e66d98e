package io.reloader.it;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
 * Following rollouts: the API server runs no controllers, so each test writes status as kube-controller-manager
 * would (generation observed, replica counts, conditions) and asserts the Events the controller records.
 */
class RolloutFollowIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");

    private static Map<String, String> auto(String key, String value) {
        Map<String, String> a = new HashMap<>(AUTO);
        a.put(key, value);
        return a;
    }

    /** A Deployment with one replica whose creation kube-controller-manager has rolled out already. */
    private void deployment(String name, Map<String, String> annotations) {
        h.create(workload(D, NS, name, annotations, envFromConfigMaps("cfg")));
        deploymentStatus(name, 1, 1, null);
    }

    /** Writes a Deployment's status as the deployment controller would, for its current generation. */
    private void deploymentStatus(String name, int updated, int available, String deadlineExceeded) {
        Deployment d = h.client.apps().deployments().inNamespace(NS).withName(name).get();
        DeploymentBuilder b = new DeploymentBuilder(d).withNewStatus()
                .withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(Math.max(1, updated))
                .withUpdatedReplicas(updated).withAvailableReplicas(available).withReadyReplicas(available)
                .endStatus();
        if (deadlineExceeded != null) {
            b.editStatus().addNewCondition().withType("Progressing").withStatus("False")
                    .withReason("ProgressDeadlineExceeded").withMessage(deadlineExceeded).endCondition().endStatus();
        }
        h.client.apps().deployments().inNamespace(NS).resource(b.build()).update();
    }

    private long generation(String name) {
        return h.client.apps().deployments().inNamespace(NS).withName(name).get().getMetadata().getGeneration();
    }

    /** Changes the ConfigMap and waits until the controller wrote each named Deployment. */
    private void reload(String... deployments) {
        h.updateConfigMap(NS, "cfg", Map.of("k", "2"));
        String hash = hashOf(Map.of("k", "2"));
        for (String name : deployments) {
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(D, NS, name, "app",
                    "STAKATER_CFG_CONFIGMAP")).isEqualTo(hash));
        }
    }

    private List<Event> events(String reason, String object) {
        return h.events(NS).stream().filter(e -> reason.equals(e.getReason())
                && object.equals(e.getInvolvedObject().getName())).toList();
    }

    private Event awaitEvent(String reason, String object) {
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(events(reason, object)).isNotEmpty());
        return events(reason, object).get(0);
    }

    @Test
    void rolledOutIsRecordedOnlyOnceTheWrittenGenerationIsCurrent() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        deployment("web", AUTO);
        deployment("control", AUTO);
        h.start();
        reload("web", "control");
        assertThat(generation("web")).as("the reload bumped the generation").isEqualTo(2);

        // web's new ReplicaSet is not available yet; control's rollout completes.
        deploymentStatus("web", 1, 0, null);
        deploymentStatus("control", 1, 1, null);
        Event control = awaitEvent("ReloadRolledOut", "control");
        assertThat(control.getType()).isEqualTo("Normal");
        assertThat(events("ReloadRolledOut", "web")).as("web's rollout is still in progress").isEmpty();
        assertThat(h.metrics().scrape()).contains("reloader_workloads_stale 1.0");

        deploymentStatus("web", 1, 1, null);
        Event web = awaitEvent("ReloadRolledOut", "web");
        assertThat(web.getMessage()).isEqualTo("Rollout of Deployment web complete after reload for ConfigMap cfg");
        assertThat(web.getInvolvedObject().getKind()).isEqualTo("Deployment");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.metrics().scrape())
                .contains("reloader_rollout_duration_seconds_count{kind=\"Deployment\"} 2", "reloader_workloads_stale 0.0"));
        assertThat(events("ReloadRolloutStalled", "web")).isEmpty();
    }

    @Test
    void progressDeadlineExceededIsAStalledRolloutNamingTheReason() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        deployment("web", AUTO);
        h.start();
        reload("web");
        deploymentStatus("web", 1, 0, "ReplicaSet \"web-7d4\" has timed out progressing.");
        Event stalled = awaitEvent("ReloadRolloutStalled", "web");
        assertThat(stalled.getType()).isEqualTo("Warning");
        assertThat(stalled.getMessage()).isEqualTo("Rollout of Deployment web after reload for ConfigMap cfg stalled: "
                + "ProgressDeadlineExceeded: ReplicaSet \"web-7d4\" has timed out progressing.");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.metrics().scrape())
                .contains("reloader_rollouts_stalled 1.0", "reloader_workloads_stale 1.0"));
        assertThat(events("ReloadRolledOut", "web")).isEmpty();

        // Someone fixes the cause; the deployment controller finishes the rollout.
        deploymentStatus("web", 1, 1, null);
        awaitEvent("ReloadRolledOut", "web");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.metrics().scrape())
                .contains("reloader_rollouts_stalled 0.0", "reloader_workloads_stale 0.0"));
    }

    @Test
    void aRolloutNotCurrentWithinItsWaitTimeoutIsStalled() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        deployment("web", auto("reloader.stakater.com/rollout-wait-timeout", "2s"));
        deployment("slow", AUTO); // the flag's 10m applies: it must not stall meanwhile
        h.start();
        reload("web", "slow");
        long written = System.nanoTime();
        deploymentStatus("web", 0, 0, null);
        deploymentStatus("slow", 0, 0, null);
        Event stalled = awaitEvent("ReloadRolloutStalled", "web");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written)).as("not before the timeout")
                .isGreaterThanOrEqualTo(1500);
        assertThat(stalled.getMessage()).startsWith("Rollout of Deployment web after reload for ConfigMap cfg stalled: "
                + "RolloutWaitTimeout: not Current within 2s").contains("Updated: 0/1");
        assertThat(events("ReloadRolloutStalled", "slow")).isEmpty();
        assertThat(events("ReloadRolledOut", "web")).isEmpty();
    }

    @Test
    void theFlagSetsTheWaitTimeoutAndAnInvalidAnnotationIsReported() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        deployment("web", auto("reloader.stakater.com/rollout-wait-timeout", "soon"));
        h.start("--rollout-wait-timeout=1s");
        Event invalid = awaitEvent("ReloadAnnotationInvalid", "web");
        assertThat(invalid.getMessage()).contains("reloader.stakater.com/rollout-wait-timeout", "soon");
        reload("web");
        assertThat(awaitEvent("ReloadRolloutStalled", "web").getMessage()).contains("not Current within 1s");
    }

    @Test
    void aFailedJobIsAStalledRollout() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        Job original = (Job) h.create(workload(WorkloadKind.JOB, NS, "migrate", AUTO, envFromConfigMaps("cfg")));
        // The Job before the reload had completed: its status must not count for the recreated one.
        h.client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder(original).withNewStatus().withSucceeded(1)
                .addNewCondition().withType("Complete").withStatus("True").endCondition().endStatus().build()).update();
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            Job j = h.client.batch().v1().jobs().inNamespace(NS).withName("migrate").get();
            assertThat(j).as("the Job, recreated").isNotNull();
            assertThat(j.getMetadata().getUid()).isNotEqualTo(original.getMetadata().getUid());
        });
        Job recreated = h.client.batch().v1().jobs().inNamespace(NS).withName("migrate").get();
        h.client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder(recreated).withNewStatus().withFailed(6)
                .addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                .withMessage("Job has reached the specified backoff limit").endCondition().endStatus().build()).update();
        Event stalled = awaitEvent("ReloadRolloutStalled", "migrate");
        assertThat(stalled.getMessage()).isEqualTo("Rollout of Job migrate after reload for ConfigMap cfg stalled: "
                + "Job failed (BackoffLimitExceeded): Job has reached the specified backoff limit");
        assertThat(events("ReloadRolledOut", "migrate")).isEmpty();
    }

    @Test
    void aCronJobsReloadRolledOutWhenItsJobCompletes() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        h.create(workload(WorkloadKind.CRONJOB, NS, "nightly", AUTO, envFromConfigMaps("cfg")));
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.client.batch().v1().jobs().inNamespace(NS).list()
                .getItems()).isNotEmpty());
        Job job = h.client.batch().v1().jobs().inNamespace(NS).list().getItems().get(0);
        h.client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder(job).withNewStatus().withActive(1)
                .endStatus().build()).update();
        job = h.client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get();
        h.client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder(job).withNewStatus().withSucceeded(1)
                .addNewCondition().withType("Complete").withStatus("True").endCondition().endStatus().build()).update();
        Event done = awaitEvent("ReloadRolledOut", "nightly");
        assertThat(done.getInvolvedObject().getKind()).isEqualTo("CronJob");
        assertThat(done.getMessage()).isEqualTo("Rollout of CronJob nightly (Job " + job.getMetadata().getName()
                + ") complete after reload for ConfigMap cfg");
    }

    @Test
    void onDeleteWorkloadsWaitForPodDeletionAndAreNotCountedAsStalled() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        Map<String, String> quick = auto("reloader.stakater.com/rollout-wait-timeout", "1s");
        h.create(new StatefulSetBuilder((StatefulSet) workload(WorkloadKind.STATEFULSET, NS, "db", quick,
                envFromConfigMaps("cfg"))).editSpec().withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .endSpec().build());
        deployment("control", quick);
        h.start();
        reload("control");
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.STATEFULSET,
                NS, "db", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "2"))));
        deploymentStatus("control", 0, 0, null);
        awaitEvent("ReloadRolloutStalled", "control"); // the barrier: a timeout of the same length has passed
        assertThat(events("ReloadPendingOnDelete", "db")).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("OnDelete", "only when they are deleted"));
        assertThat(events("ReloadRolloutStalled", "db")).isEmpty();
        assertThat(events("ReloadRolledOut", "db")).isEmpty();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.metrics().scrape())
                .contains("reloader_rollouts_stalled 1.0", "reloader_workloads_stale 1.0"));
    }

    @Test
    void aStalledRolloutSendsAnAlert() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        try {
            h.configMap(NS, "cfg", Map.of("k", "1"));
            deployment("web", AUTO);
            h.start(Map.of("ALERT_ON_RELOAD", "true", "ALERT_WEBHOOK_URL", "http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook"));
            reload("web");
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(bodies.size()).isEqualTo(1)); // the reload alert
            deploymentStatus("web", 1, 0, "ReplicaSet \"web-7d4\" has timed out progressing.");
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(bodies.size()).isEqualTo(2));
            assertThat(bodies.get(1)).isEqualTo("Reloader: rollout of web of type Deployment in namespace shop stalled "
                    + "after reload for ConfigMap cfg: ProgressDeadlineExceeded: ReplicaSet \"web-7d4\" has timed out "
                    + "progressing.");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aRolloutLeftUnfinishedIsFollowedAgainAfterARestart() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        deployment("web", AUTO);
        h.start();
        reload("web");
        h.awaitIdle();
        h.stopController();
        h.start();
        deploymentStatus("web", 1, 1, null);
        assertThat(awaitEvent("ReloadRolledOut", "web").getMessage())
                .isEqualTo("Rollout of Deployment web complete after reload for ConfigMap cfg");
    }

    @Test
    void withoutWatchPermissionRolloutsAreNotFollowed() {
        h.forbidDeploymentWatch();
        h.configMap(NS, "cfg", Map.of("k", "1"));
        deployment("web", auto("reloader.stakater.com/rollout-wait-timeout", "1s"));
        h.start();
        assertThat(h.logLines()).anyMatch(l -> l.contains("Rollouts are not followed: without 'watch' on workloads"));
        reload("web");
        awaitEvent("Reloaded", "web");
        assertThat(h.metrics().scrape()).contains("reloader_workloads_stale 0.0");
    }
}
