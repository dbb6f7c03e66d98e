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

class ReloadPlannerTest {
    private static final long NOW = 1786359066L;
    private static final String HASH = "f83e99e324ba68ccc373a58ef1eb42f8ab88646a";

    private static ReloadPlanner planner(ReloadStrategyType type) {
        return new ReloadPlanner(new ReloadPolicy(AnnotationKeys.defaults(), false), ReloadStrategy.of(type));
    }

    private static DeploymentBuilder deployment() {
        return new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").withResourceVersion("7")
                .addToAnnotations("reloader.stakater.com/auto", "true").endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec()
                .addNewContainer().withName("sidecar").withImage("i").endContainer()
                .addNewContainer().withName("web").withImage("i")
                .addNewEnvFrom().withNewConfigMapRef().withName("app-config").endConfigMapRef().endEnvFrom()
                .addNewEnvFrom().withNewConfigMapRef().withName("other").endConfigMapRef().endEnvFrom()
                .endContainer()
                .endSpec().endTemplate().endSpec();
    }

    private static SourceChange change(String name, String hash, ChangeType type) {
        return new SourceChange(new SourceRef(SourceType.CONFIGMAP, "shop", name), type, hash, false, false);
    }

    private static Map<String, Object> op(String op, String path, Object value) {
        return value == null ? Map.of("op", op, "path", path) : Map.of("op", op, "path", path, "value", value);
    }

    @Test
    void envVarsAppendsTheVariableToTheChosenContainerAndGuardsWithTheResourceVersion() {
        ReloadPlan plan = planner(ReloadStrategyType.ENV_VARS).plan(deployment().build(),
                List.of(change("app-config", HASH, ChangeType.UPDATED)), NOW);
        assertThat(plan.patch()).containsExactly(
                op("replace", "/metadata/resourceVersion", "7"),
                op("add", "/metadata/annotations/reloader.stakater.com~1applied-hashes",
                        "{\"CONFIGMAP/app-config\":\"" + HASH + "\"}"),
                op("add", "/spec/template/spec/containers/1/env",
                        List.of(Map.of("name", "STAKATER_APP_CONFIG_CONFIGMAP", "value", HASH))));
    }

    @Test
    void envVarsWritesNothingWhenTheValueIsAlreadyCurrent() {
        Deployment d = deployment().editSpec().editTemplate().editSpec().editContainer(1)
                .addNewEnv().withName("STAKATER_APP_CONFIG_CONFIGMAP").withValue(HASH).endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
        ReloadPlan plan = planner(ReloadStrategyType.ENV_VARS).plan(d,
                List.of(change("app-config", HASH, ChangeType.UPDATED)), NOW);
        assertThat(plan.hasWrite()).isFalse();
        assertThat(plan.upToDate()).hasSize(1);
    }

    @Test
    void envVarsReplacesAStaleValueInPlace() {
        Deployment d = deployment().editSpec().editTemplate().editSpec().editContainer(1)
                .addNewEnv().withName("KEEP").withValue("x").endEnv()
                .addNewEnv().withName("STAKATER_APP_CONFIG_CONFIGMAP").withValue("old").endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
        ReloadPlan plan = planner(ReloadStrategyType.ENV_VARS).plan(d,
                List.of(change("app-config", HASH, ChangeType.UPDATED)), NOW);
        assertThat(plan.patch()).contains(op("replace", "/spec/template/spec/containers/1/env/1",
                Map.of("name", "STAKATER_APP_CONFIG_CONFIGMAP", "value", HASH)));
    }

    @Test
    void aBurstOfTwoSourcesIsOnePatchWithBothVariables() {
        Deployment d = deployment().editSpec().editTemplate().editSpec().editContainer(1)
                .addNewEnv().withName("KEEP").withValue("x").endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
        ReloadPlan plan = planner(ReloadStrategyType.ENV_VARS).plan(d,
                List.of(change("app-config", HASH, ChangeType.UPDATED), change("other", "h2", ChangeType.UPDATED)), NOW);
        assertThat(plan.applied()).hasSize(2);
        assertThat(plan.patch()).contains(
                op("add", "/spec/template/spec/containers/1/env/-",
                        Map.of("name", "STAKATER_APP_CONFIG_CONFIGMAP", "value", HASH)),
                op("add", "/spec/template/spec/containers/1/env/-", Map.of("name", "STAKATER_OTHER_CONFIGMAP", "value", "h2")));
    }

    @Test
    void envVarsRemovesTheVariableOnDelete() {
        Deployment d = deployment().editSpec().editTemplate().editSpec().editContainer(1)
                .addNewEnv().withName("KEEP").withValue("x").endEnv()
                .addNewEnv().withName("STAKATER_APP_CONFIG_CONFIGMAP").withValue(HASH).endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
        ReloadPlan plan = planner(ReloadStrategyType.ENV_VARS).plan(d,
                List.of(change("app-config", HASH, ChangeType.DELETED)), NOW);
        assertThat(plan.patch()).contains(op("remove", "/spec/template/spec/containers/1/env/1", null));
    }

    @Test
    void annotationsWritesReloadersMarkerFieldForField() {
        ReloadPlan plan = planner(ReloadStrategyType.ANNOTATIONS).plan(deployment().build(),
                List.of(change("app-config", HASH, ChangeType.UPDATED)), NOW);
        assertThat(plan.patch()).contains(op("add", "/spec/template/metadata/annotations",
                Map.of(AnnotationKeys.LAST_RELOADED_FROM, "{\"type\":\"CONFIGMAP\",\"name\":\"app-config\","
                        + "\"namespace\":\"shop\",\"hash\":\"" + HASH + "\",\"containerRefs\":[\"web\"],"
                        + "\"observedAt\":1786359066}")));
    }

    @Test
    void annotationsSkipsWhenTheRecordAlreadyHoldsTheHash() {
        Deployment d = deployment().editMetadata().addToAnnotations(AnnotationKeys.APPLIED_HASHES,
                "{\"CONFIGMAP/app-config\":\"" + HASH + "\"}").endMetadata().build();
        ReloadPlan plan = planner(ReloadStrategyType.ANNOTATIONS).plan(d,
                List.of(change("app-config", HASH, ChangeType.UPDATED)), NOW + 100);
        assertThat(plan.hasWrite()).isFalse();
    }

    @Test
    void annotationsSkipsWhenReloadersOwnMarkerAlreadyNamesTheHash() {
        Deployment d = deployment().editSpec().editTemplate().editMetadata().addToAnnotations(
                AnnotationKeys.LAST_RELOADED_FROM, new ReloadedFromMarker(SourceType.CONFIGMAP, "app-config", "shop",
                        HASH, List.of("web"), 1L).toJson()).endMetadata().endTemplate().endSpec().build();
        assertThat(planner(ReloadStrategyType.ANNOTATIONS).plan(d,
                List.of(change("app-config", HASH, ChangeType.UPDATED)), NOW).hasWrite()).isFalse();
        assertThat(planner(ReloadStrategyType.ANNOTATIONS).plan(d,
                List.of(change("app-config", "new", ChangeType.UPDATED)), NOW).hasWrite()).isTrue();
    }

    @Test
    void annotationsWritesTheDeleteMarkerHash() {
        ReloadPlan plan = planner(ReloadStrategyType.ANNOTATIONS).plan(deployment().build(),
                List.of(change("app-config", HASH, ChangeType.DELETED)), NOW);
        assertThat(plan.patch().toString()).contains("aae45badef99284e4dae01d6046154ea9d99532f");
    }

    @Test
    void markerJsonEscapesLikeGo() {
        ReloadedFromMarker m = new ReloadedFromMarker(SourceType.SECRET, "a<b", "n\"s", "h", List.of("c"), 5);
        assertThat(m.toJson()).isEqualTo("{\"type\":\"SECRET\",\"name\":\"a\\u003cb\",\"namespace\":\"n\\\"s\","
                + "\"hash\":\"h\",\"containerRefs\":[\"c\"],\"observedAt\":5}");
        assertThat(ReloadedFromMarker.parse(m.toJson())).contains(m);
    }

    @Test
    void unfollowedChangesAreSkippedWithoutAPatch() {
        ReloadPlan plan = planner(ReloadStrategyType.ENV_VARS).plan(deployment().build(),
                List.of(change("unrelated", HASH, ChangeType.UPDATED)), NOW);
        assertThat(plan.hasWrite()).isFalse();
        assertThat(plan.patch()).isEmpty();
        assertThat(plan.skipped()).hasSize(1);
    }

    @Test
    void afterASwitchToAnnotationsTheStaleVariablesGoInTheSameWrite() {
        Deployment d = deployment().editSpec().editTemplate().editSpec().editContainer(0)
                .addNewEnv().withName("STAKATER_OLD_SECRET").withValue(HASH).endEnv()
                .addNewEnv().withName("STAKATER_MINE").withValue("user-owned").endEnv()
                .endContainer().editContainer(1)
                .addNewEnv().withName("KEEP").withValue("x").endEnv()
                .addNewEnv().withName("STAKATER_APP_CONFIG_CONFIGMAP").withValue(HASH).endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
        ReloadPlanner cleaning = new ReloadPlanner(new ReloadPolicy(AnnotationKeys.defaults(), false),
                ReloadStrategy.of(ReloadStrategyType.ANNOTATIONS), true);
        ReloadPlan plan = cleaning.plan(d, List.of(change("app-config", "new", ChangeType.UPDATED)), NOW);
        assertThat(plan.patch()).contains(op("remove", "/spec/template/spec/containers/0/env/0", null),
                op("remove", "/spec/template/spec/containers/1/env/1", null));
        assertThat(plan.patch().toString()).doesNotContain("containers/0/env/1").doesNotContain("containers/1/env/0");

        ReloadPlan nothingToDo = cleaning.plan(d, List.of(change("unrelated", "new", ChangeType.UPDATED)), NOW);
        assertThat(nothingToDo.patch()).as("never a write of their own").isEmpty();
        ReloadPlan keeping = planner(ReloadStrategyType.ANNOTATIONS).plan(d,
                List.of(change("app-config", "new", ChangeType.UPDATED)), NOW);
        assertThat(keeping.patch().toString()).doesNotContain("remove");
    }

    @Test
    void aWriteClearsTheHeldReloadsRecord() {
        Deployment d = deployment().editMetadata().addToAnnotations(AnnotationKeys.HELD_RELOADS,
                "{\"CONFIGMAP/app-config\":\"" + HASH + "\"}").endMetadata().build();
        ReloadPlan plan = planner(ReloadStrategyType.ENV_VARS).plan(d,
                List.of(change("app-config", HASH, ChangeType.UPDATED)), NOW);
        assertThat(plan.patch()).contains(op("remove", "/metadata/annotations/reloader.stakater.com~1held-reloads", null));
    }
}
