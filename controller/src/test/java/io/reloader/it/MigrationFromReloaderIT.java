package io.reloader.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.ReloadedFromMarker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Taking over from Stakater Reloader: workloads carry the markers Reloader wrote (its env vars, its
 * last-reloaded-from JSON). The takeover rolls nothing that is current and rolls once what changed while no
 * controller ran, with full RBAC and with Reloader's RBAC (no watch on workloads: said once, LIST fallback).
 */
class MigrationFromReloaderIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");

    private HasMetadata withReloaderMarker(String name, String source, String hash, boolean annotations) {
        Deployment d = (Deployment) workload(D, NS, name, AUTO, envFromConfigMaps(source));
        DeploymentBuilder b = new DeploymentBuilder(d);
        if (annotations) {
            // Reloader's own JSON, field for field (observedAt from some earlier reload).
            b.editSpec().editTemplate().editOrNewMetadata().addToAnnotations(AnnotationKeys.LAST_RELOADED_FROM,
                    new ReloadedFromMarker(SourceType.CONFIGMAP, source, NS, hash, List.of("app"), 1700000000L)
                            .toJson()).endMetadata().endTemplate().endSpec();
        } else {
            b.editSpec().editTemplate().editSpec().editFirstContainer().addNewEnv()
                    .withName("STAKATER_" + source.toUpperCase().replace('-', '_') + "_CONFIGMAP").withValue(hash)
                    .endEnv().endContainer().endSpec().endTemplate().endSpec();
        }
        return h.create(b.build());
    }

    private long generation(String name) {
        Long g = h.get(D, NS, name).getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    @ParameterizedTest(name = "{0}, Reloader's RBAC: {1}")
    @CsvSource({"env-vars, false", "env-vars, true", "annotations, false", "annotations, true"})
    void theTakeoverRollsOnlyWhatChangedWhileNoControllerRan(String strategy, boolean reloadersRbac) {
        boolean annotations = strategy.equals("annotations");
        h.configMap(NS, "current", Map.of("k", "v1"));
        h.configMap(NS, "changed", Map.of("k", "v2")); // Reloader last saw v1
        h.configMap(NS, "control", Map.of("k", "0"));
        withReloaderMarker("up-to-date", "current", hashOf(Map.of("k", "v1")), annotations);
        withReloaderMarker("behind", "changed", hashOf(Map.of("k", "v1")), annotations);
        h.create(workload(D, NS, "control", AUTO, envFromConfigMaps("control")));
        long upToDate = generation("up-to-date");
        long behind = generation("behind");
        if (reloadersRbac) {
            h.forbidDeploymentWatch();
        }

        h.start("--reload-strategy=" + strategy);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(generation("behind")).isEqualTo(behind + 1));
        // Barrier: a change after the takeover is reloaded, so everything due at start has been written.
        h.updateConfigMap(NS, "control", Map.of("k", "1"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(generation("control")).isGreaterThan(1));
        h.awaitIdle();
        assertThat(generation("up-to-date")).as("current workloads are not touched").isEqualTo(upToDate);
        assertThat(generation("behind")).as("what changed while down rolls once").isEqualTo(behind + 1);
        assertThat(h.patchesTo("/deployments/up-to-date")).isZero();
        if (reloadersRbac) {
            assertThat(h.logLines()).filteredOn(l -> l.contains("falling back to listing workloads")).hasSize(1);
        }
    }
}
