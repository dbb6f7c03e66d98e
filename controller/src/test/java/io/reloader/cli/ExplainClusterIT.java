package io.reloader.cli;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reloader.it.ControllerHarness;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code explain --cluster} against the in-process API server: each workload's last reload and rollout state. */
class ExplainClusterIT {
    private ControllerHarness h;

    @org.junit.jupiter.api.BeforeEach
    void startApiServer() {
        h = new ControllerHarness();
    }

    @org.junit.jupiter.api.AfterEach
    void stopApiServer() {
        h.close();
    }

    private static final String NS = "shop";
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");

    private void deployment(String name, int replicas, Map<String, String> templateAnnotations, int updated,
                            int available, String deadlineExceeded) {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).withAnnotations(AUTO)
                .endMetadata().withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name)
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name)
                .withAnnotations(templateAnnotations).endMetadata().withNewSpec().addNewContainer().withName("app")
                .withImage("nginx").addNewEnvFrom().withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
                .endContainer().endSpec().endTemplate().endSpec().build();
        d = h.create(d);
        DeploymentBuilder b = new DeploymentBuilder(d).withNewStatus().withObservedGeneration(d.getMetadata()
                .getGeneration()).withReplicas(replicas).withUpdatedReplicas(updated).withAvailableReplicas(available)
                .endStatus();
        if (deadlineExceeded != null) {
            b.editStatus().addNewCondition().withType("Progressing").withStatus("False")
                    .withReason("ProgressDeadlineExceeded").withMessage(deadlineExceeded).endCondition().endStatus();
        }
        h.client.apps().deployments().inNamespace(NS).resource(b.build()).update();
    }

    private static String marker(long observedAt) {
        return "{\"type\":\"CONFIGMAP\",\"name\":\"cfg\",\"namespace\":\"shop\",\"hash\":\"abc\",\"containerRefs\":"
                + "[\"app\"],\"observedAt\":" + observedAt + "}";
    }

    private String explain(String... extra) {
        System.setProperty("kubernetes.master", h.server.url("/"));
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("explain", "--cluster"),
                    java.util.Arrays.stream(extra)).toArray(String[]::new);
            assertThat(Main.run(args, Map.of())).isZero();
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
            System.clearProperty("kubernetes.master");
            System.clearProperty("kubernetes.auth.tryKubeConfig");
            System.clearProperty("kubernetes.auth.tryServiceAccount");
        }
    }

    @Test
    void showsEachWorkloadsLastReloadRolloutStateAndUpdatedPods() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        long recent = Instant.now().getEpochSecond() - 30;
        long old = Instant.now().getEpochSecond() - 3600;
        deployment("rolling", 3, Map.of("reloader.stakater.com/last-reloaded-from", marker(recent)), 1, 1, null);
        deployment("done", 2, Map.of("reloader.stakater.com/last-reloaded-from", marker(recent)), 2, 2, null);
        deployment("stuck", 1, Map.of(), 0, 0, "ReplicaSet \"stuck-1\" has timed out progressing.");
        deployment("forgotten", 2, Map.of("reloader.stakater.com/last-reloaded-from", marker(old)), 1, 2, null);

        String text = explain();
        assertThat(text).contains("  Deployment shop/rolling\n", "    last reload: ConfigMap cfg at "
                + Instant.ofEpochSecond(recent) + "\n", "    rollout: InProgress (LessUpdated: Updated: 1/3); 1/3 pods "
                + "run the current template\n");
        assertThat(text).contains("  Deployment shop/done\n    <- ConfigMap cfg  (auto)\n    last reload: ConfigMap cfg"
                + " at " + Instant.ofEpochSecond(recent) + "\n    rollout: Current; 2/2 pods run the current template\n");
        assertThat(text).contains("    last reload: none recorded\n    rollout: Stalled (ProgressDeadlineExceeded: "
                + "ReplicaSet \"stuck-1\" has timed out progressing.); 0/1 pods run the current template\n");
        assertThat(text).as("in progress for longer than the wait timeout after its reload").contains(
                "    rollout: Stalled (RolloutWaitTimeout: not Current within 10m0s of the reload; LessUpdated: "
                        + "Updated: 1/2); 1/2 pods run the current template\n");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> workloads = (List<Map<String, Object>>) Serialization.unmarshal(explain("-o", "json"),
                Map.class).get("workloads");
        Map<String, Object> rolling = workloads.stream().filter(w -> "rolling".equals(w.get("name"))).findFirst()
                .orElseThrow();
        assertThat((Map<String, Object>) rolling.get("rollout")).containsEntry("state", "InProgress")
                .containsEntry("reason", "LessUpdated").containsEntry("updatedPods", 1).containsEntry("desiredPods", 3)
                .containsEntry("lastReload", "ConfigMap cfg at " + Instant.ofEpochSecond(recent));
    }

    @Test
    void listsTheSourcesTheControllersEventsSayAreFlapping() {
        h.configMap(NS, "cfg", Map.of("k", "1"));
        deployment("web", 1, Map.of(), 1, 1, null);
        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String earlier = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        event("tls", "SourceFlapping", "Warning", now, "ConfigMap 'shop/tls' is flapping: written by a, b");
        event("db", "SourceFlapping", "Warning", earlier, "ConfigMap 'shop/db' is flapping");
        event("db", "SourceSettled", "Normal", now, "ConfigMap 'shop/db' stayed unchanged");

        String text = explain();
        assertThat(text).contains("Flapping sources (held: their changes roll nothing until they settle)\n"
                + "  ConfigMap shop/tls  since " + now + "\n    ConfigMap 'shop/tls' is flapping: written by a, b\n");
        assertThat(text).doesNotContain("ConfigMap shop/db  since");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> flapping = (List<Map<String, Object>>) Serialization.unmarshal(explain("-o", "json"),
                Map.class).get("flapping");
        assertThat(flapping).singleElement().satisfies(f -> assertThat(f).containsEntry("kind", "ConfigMap")
                .containsEntry("name", "tls").containsEntry("since", now));
    }

    private void event(String source, String reason, String type, String at, String message) {
        h.client.v1().events().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName(source + "." + reason.toLowerCase()).withNamespace(NS).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("ConfigMap").withNamespace(NS).withName(source)
                .endInvolvedObject().withReason(reason).withType(type).withMessage(message).withFirstTimestamp(at)
                .withLastTimestamp(at).withCount(1).build()).create();
    }
}
