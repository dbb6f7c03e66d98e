package io.reloader.strategy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.ReloadStrategyType;
import io.reloader.controller.ReloadPlanner;
import io.reloader.model.ChangeType;
import io.reloader.model.ReloadPlan;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.policy.ReloadPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A ServiceAccount change is written like any source's: its marker, type SERVICEACCOUNT, on the first container. */
class ServiceAccountPlanTest {
    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";
    private static final SourceRef APP = new SourceRef(SourceType.SERVICEACCOUNT, "shop", "app");

    private static ReloadPlanner planner(ReloadStrategyType type) {
        return new ReloadPlanner(new ReloadPolicy(AnnotationKeys.defaults(), false), ReloadStrategy.of(type));
    }

    private static Deployment deployment(String serviceAccount) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").withResourceVersion("7")
                .addToAnnotations("reloader.stakater.com/auto", "true").endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount)
                .addNewContainer().withName("main").withImage("i").endContainer()
                .addNewContainer().withName("sidecar").withImage("i").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static SourceChange change(SourceRef ref) {
        return new SourceChange(ref, ChangeType.UPDATED, HASH, false, false);
    }

    @Test
    void envVarsWritesStakaterNameServiceAccountOnTheFirstContainer() {
        ReloadPlan plan = planner(ReloadStrategyType.ENV_VARS).plan(deployment("app"), List.of(change(APP)), 1L);
        assertThat(plan.hasWrite()).isTrue();
        assertThat(plan.containers()).containsEntry(APP, "main");
        assertThat(plan.record()).isEqualTo("{\"SERVICEACCOUNT/app\":\"" + HASH + "\"}");
        assertThat(plan.patch()).contains(Map.of("op", "add", "path", "/spec/template/spec/containers/0/env",
                "value", List.of(Map.of("name", "STAKATER_APP_SERVICEACCOUNT", "value", HASH))));
    }

    @Test
    void annotationsWritesLastReloadedFromWithTheType() {
        ReloadPlan plan = planner(ReloadStrategyType.ANNOTATIONS).plan(deployment(null),
                List.of(change(new SourceRef(SourceType.SERVICEACCOUNT, "shop", "default"))), 1786359066L);
        // The template has no annotations yet: the patch adds the whole map
        Map<?, ?> annotations = (Map<?, ?>) plan.patch().stream()
                .filter(op -> "/spec/template/metadata/annotations".equals(op.get("path"))).findFirst()
                .orElseThrow().get("value");
        String marker = (String) annotations.get(AnnotationKeys.LAST_RELOADED_FROM);
        assertThat(ReloadedFromMarker.parse(marker)).hasValue(new ReloadedFromMarker(SourceType.SERVICEACCOUNT,
                "default", "shop", HASH, List.of("main"), 1786359066L));
        assertThat(marker).startsWith("{\"type\":\"SERVICEACCOUNT\",\"name\":\"default\"");
    }

    @Test
    void aWorkloadRunningAsAnotherServiceAccountIsNotWritten() {
        assertThat(planner(ReloadStrategyType.ENV_VARS).plan(deployment("other"), List.of(change(APP)), 1L).hasWrite())
                .isFalse();
    }

    @Test
    void theVariableIsAMarkerCatchUpReads() {
        Deployment d = deployment("app");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(
                new io.fabric8.kubernetes.api.model.EnvVar("STAKATER_APP_SERVICEACCOUNT", HASH, null)));
        assertThat(Markers.carried(d)).containsEntry(APP, HASH);
    }
}
