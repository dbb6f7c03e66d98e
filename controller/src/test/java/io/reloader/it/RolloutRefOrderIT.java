package io.reloader.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Rollout with {@code workloadRef} follows the sources of the Deployment it names, whichever of the two the
 * controller saw first, and follows the Deployment's template when it changes.
 */
class RolloutRefOrderIT extends HarnessIT {
    private static final String NS = "argo";

    @BeforeEach
    void rollouts() {
        h.server.expectCustomResource(Workloads.ROLLOUTS);
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.configMap(NS, "cfg-b", Map.of("k", "v"));
        h.configMap(NS, "control", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "control", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("control")));
    }

    private void createRollout() {
        GenericKubernetesResource ref = Workloads.rollout(new ObjectMetaBuilder().withName("by-ref").withNamespace(NS)
                .withAnnotations(Map.of("reloader.stakater.com/auto", "true")).build(), null);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) ref.getAdditionalProperties().get("spec");
        spec.put("workloadRef", Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "holder"));
        h.create(ref);
    }

    private void createHolder() {
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "holder", Map.of(), envFromConfigMaps("cfg")));
    }

    @SuppressWarnings("unchecked")
    private Object restartAt() {
        return ((Map<String, Object>) ((GenericKubernetesResource) h.get(WorkloadKind.ROLLOUT, NS, "by-ref"))
                .getAdditionalProperties().get("spec")).get("restartAt");
    }

    /** Waits until the informers saw the object: a change to the control workload's source is reloaded. */
    private void barrier(String value) {
        h.updateConfigMap(NS, "control", Map.of("k", value));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "control", "app", "STAKATER_CONTROL_CONFIGMAP")).isEqualTo(ControllerHarness.hashOf(Map.of("k", value))));
    }

    @Test
    void rolloutSeenBeforeItsDeployment() {
        createRollout();
        h.start("--is-Argo-Rollouts=true");
        createHolder();
        barrier("v2");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(restartAt()).isNotNull());
    }

    @Test
    void deploymentSeenBeforeItsRollout() {
        createHolder();
        h.start("--is-Argo-Rollouts=true");
        createRollout();
        barrier("v2");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(restartAt()).isNotNull());
    }

    @Test
    void afterTheDeploymentsTemplateChangesTheRolloutFollowsItsNewSources() {
        createHolder();
        createRollout();
        h.start("--is-Argo-Rollouts=true");
        h.client.apps().deployments().inNamespace(NS).withName("holder").edit(d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().withSpec(envFromConfigMaps("cfg-b")).endTemplate().endSpec().build());
        barrier("v2");
        h.updateConfigMap(NS, "cfg-b", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(restartAt()).isNotNull());
        Deployment holder = (Deployment) h.get(WorkloadKind.DEPLOYMENT, NS, "holder");
        assertThat(holder.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).isEmpty();
    }
}
