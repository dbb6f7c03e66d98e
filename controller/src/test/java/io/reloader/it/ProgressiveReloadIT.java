package io.reloader.it;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Progressive reloads ({@code --sequential-rollouts}): the workloads of one source roll one at a time; when one
 * stalls, the rest are held with {@code Warning ReloadHalted} naming it, until it is Current or the source changes
 * again. Status is written as kube-controller-manager would.
 */
class ProgressiveReloadIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");
    private static final List<String> ALL = List.of("a", "b", "c");

    private void deployment(String name) {
        h.create(workload(D, NS, name, AUTO, envFromConfigMaps("cfg")));
        status(name, 1, null);
    }

    /** The deployment controller's status for the current generation: available or not, or past its deadline. */
    private void status(String name, int available, String deadlineExceeded) {
        Deployment d = h.client.apps().deployments().inNamespace(NS).withName(name).get();
        DeploymentBuilder b = new DeploymentBuilder(d).withNewStatus()
                .withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(1).withUpdatedReplicas(1)
                .withAvailableReplicas(available).withReadyReplicas(available).endStatus();
        if (deadlineExceeded != null) {
            b.editStatus().addNewCondition().withType("Progressing").withStatus("False")
                    .withReason("ProgressDeadlineExceeded").withMessage(deadlineExceeded).endCondition().endStatus();
        }
        h.client.apps().deployments().inNamespace(NS).resource(b.build()).update();
    }

    private List<String> carrying(String value) {
        String hash = hashOf(Map.of("k", value));
        return ALL.stream().filter(n -> hash.equals(h.env(D, NS, n, "app", "STAKATER_CFG_CONFIGMAP"))).toList();
    }

    private List<Event> events(String reason, String object) {
        return h.events(NS).stream().filter(e -> reason.equals(e.getReason())
                && object.equals(e.getInvolvedObject().getName())).toList();
    }

    /** Starts three Deployments of one ConfigMap, changes it, stalls the first one written; returns its name. */
    private String firstWrittenStalls() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        ALL.forEach(this::deployment);
        h.start("--coalesce-window=0s", "--sequential-rollouts");
        h.updateConfigMap(NS, "cfg", Map.of("k", "2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(carrying("2")).hasSize(1));
        String stalled = carrying("2").get(0);
        status(stalled, 0, "ReplicaSet \"" + stalled + "-1\" has timed out progressing.");
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(events("ReloadRolloutStalled", stalled)).isNotEmpty());
        List<String> held = ALL.stream().filter(n -> !n.equals(stalled)).toList();
        for (String n : held) {
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
                List<Event> halted = events("ReloadHalted", n);
                assertThat(halted).isNotEmpty();
                assertThat(halted.get(0).getType()).isEqualTo("Warning");
                assertThat(halted.get(0).getMessage()).contains("Deployment " + stalled)
                        .contains("ProgressDeadlineExceeded");
            });
        }
        // The Events prove both were looked at after the stall; neither was written.
        assertThat(carrying("2")).containsExactly(stalled);
        return stalled;
    }

    @Test
    void aStalledRolloutHaltsTheRestUntilItIsCurrentThenTheyRollOneAtATime() {
        String stalled = firstWrittenStalls();
        status(stalled, 1, null); // someone fixed it; the rollout completes
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(carrying("2")).hasSize(2));
        String second = carrying("2").stream().filter(n -> !n.equals(stalled)).findFirst().orElseThrow();
        String third = ALL.stream().filter(n -> !n.equals(stalled) && !n.equals(second)).findFirst().orElseThrow();
        assertThat(carrying("2")).as("the third waits for the second").doesNotContain(third);
        status(second, 1, null);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(carrying("2")).containsAll(ALL));
    }

    @Test
    void aNewChangeRollsFromTheStalledWorkloadOnwards() {
        String stalled = firstWrittenStalls();
        h.updateConfigMap(NS, "cfg", Map.of("k", "3")); // the fix, in the source
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(carrying("3")).containsExactly(stalled));
        assertThat(Stream.concat(carrying("2").stream(), carrying("3").stream()).distinct().toList())
                .as("the held workloads wait for the stalled one's new rollout").containsExactly(stalled);
        status(stalled, 1, null);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(carrying("3")).hasSize(2));
        carrying("3").stream().filter(n -> !n.equals(stalled)).forEach(n -> status(n, 1, null));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(carrying("3")).containsAll(ALL));
    }

    @Test
    void aHeldReloadIsHeldAgainAfterARestartAndRollsOnceTheStalledOneIsCurrent() {
        String stalled = firstWrittenStalls();
        h.stopController();
        long haltedBefore = haltedLines();
        h.start("--coalesce-window=0s", "--sequential-rollouts");
        // The new process knows the stall only from status, and the held changes only from the markers.
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(haltedLines()).as("held again after the restart").isGreaterThan(haltedBefore + 1));
        assertThat(carrying("2")).containsExactly(stalled);
        status(stalled, 1, null);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(carrying("2")).hasSize(2));
        carrying("2").stream().filter(n -> !n.equals(stalled)).forEach(n -> status(n, 1, null));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(carrying("2")).containsAll(ALL));
    }

    private long haltedLines() {
        return h.logLines().stream().filter(l -> l.contains(" is halted: the rollout of Deployment ")).count();
    }
}
