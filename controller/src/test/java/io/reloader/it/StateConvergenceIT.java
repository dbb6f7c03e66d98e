package io.reloader.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.hash.SourceHasher;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The decision compares what a workload carries with what its sources' current state says it should carry, so a
 * burst coalesced into its last event still rolls every workload whose keys changed in it, and a workload's own
 * revert (rollout undo) is reported, never fought: not live, not at a restart.
 */
class StateConvergenceIT extends HarnessTest {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");
    private static final String VAR = "STAKATER_SHARED_CONFIGMAP";

    private static PodSpec readsKey(String key) {
        return new PodSpecBuilder().addNewContainer().withName("app").withImage("i").addNewEnv().withName("VALUE")
                .withNewValueFrom().withNewConfigMapKeyRef().withName("shared").withKey(key).endConfigMapKeyRef()
                .endValueFrom().endEnv().endContainer().build();
    }

    private long generation(String name) {
        Long g = h.get(D, NS, name).getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    private void edit(Map<String, String> data) {
        h.client.configMaps().inNamespace(NS).withName("shared").edit(c -> new ConfigMapBuilder(c)
                .withData(new LinkedHashMap<>(data)).build());
    }

    /** The keys-marker a workload reading only {@code key} of {@code data} must carry. */
    private static String keysMarker(Map<String, String> data, String key) {
        return SourceHasher.keyScoped(SourceHasher.reloaderCompatible().keysOfConfigMap(new ConfigMapBuilder().withData(data).build()),
                List.of(key));
    }

    @Test
    void keyAThenKeyB30msApartRollsTheReaderOfAAndNotTheReaderOfC() throws InterruptedException {
        Map<String, String> data = new LinkedHashMap<>(Map.of("a", "1", "b", "1", "c", "1"));
        h.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("shared")
                .withNamespace(NS).endMetadata().withData(new LinkedHashMap<>(data)).build()).create();
        h.create(workload(D, NS, "reads-a", AUTO, readsKey("a")));
        h.create(workload(D, NS, "reads-b", AUTO, readsKey("b"))); // the control: must roll
        h.create(workload(D, NS, "reads-c", AUTO, readsKey("c")));
        // A window wide enough that the two events certainly coalesce into one batch, as they do in production.
        h.start("--referenced-keys-only", "--coalesce-window=2s", "--quiet-period=500ms");
        long a = generation("reads-a");
        long b = generation("reads-b");
        long c = generation("reads-c");

        data.put("a", "2");
        edit(data);
        Thread.sleep(30); // the scenario: a second key of the same ConfigMap 30 ms later
        data.put("b", "2");
        edit(data);

        await().atMost(20, TimeUnit.SECONDS).until(() -> generation("reads-b") > b);
        await().atMost(20, TimeUnit.SECONDS).until(() -> generation("reads-a") > a);
        h.awaitIdle();
        assertThat(generation("reads-a")).as("rolled once").isEqualTo(a + 1);
        assertThat(generation("reads-b")).isEqualTo(b + 1);
        assertThat(generation("reads-c")).as("reads only c, which did not change").isEqualTo(c);
        assertThat(h.env(D, NS, "reads-a", "app", VAR)).isEqualTo(keysMarker(data, "a"));
        assertThat(h.env(D, NS, "reads-b", "app", VAR)).isEqualTo(keysMarker(data, "b"));
        assertThat(h.env(D, NS, "reads-c", "app", VAR)).isNull();
    }

    @ParameterizedTest(name = "{0}, restart flags [{1}]")
    @CsvSource({"env-vars,''", "env-vars,--sync-after-restart=true", "annotations,''",
            "annotations,--sync-after-restart=true"})
    void aRolloutUndoIsReportedAndNotFoughtLiveOrAfterARestartAndTheNextChangeRollsOnce(String strategy,
                                                                                        String restartFlag) {
        String strategyFlag = "--reload-strategy=" + strategy;
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.create(workload(D, NS, "web", AUTO, envFromConfigMaps("cfg")));
        h.configMap(NS, "other", Map.of("k", "v1"));
        h.create(workload(D, NS, "control", AUTO, envFromConfigMaps("other")));
        h.start(strategyFlag, "--reload-on-create=true");

        h.updateConfigMap(NS, "other", Map.of("k", "v2"));
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> record("web").contains(hashOf(Map.of("k", "v2")))
                && record("control").contains(hashOf(Map.of("k", "v2"))));
        h.awaitIdle();
        PodTemplateSpec older = h.template(D, NS, "web");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> record("web").contains(hashOf(Map.of("k", "v3"))));
        h.awaitIdle();
        long patches = h.patchesTo("/deployments/web");

        // kubectl rollout undo: the template of the previous revision, with its older marker; metadata unchanged.
        h.client.apps().deployments().inNamespace(NS).withName("web").edit(x -> new DeploymentBuilder(x).editSpec()
                .withTemplate(older).endSpec().build());
        await().atMost(20, TimeUnit.SECONDS).until(() -> reverts() >= 1);
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web")).as("the undo is not rolled back live").isEqualTo(patches);
        assertThat(h.template(D, NS, "web")).isEqualTo(older);

        h.stopController();
        h.updateConfigMap(NS, "other", Map.of("k", "v3")); // while down: the control must be caught up
        List<String> flags = restartFlag.isEmpty() ? List.of(strategyFlag, "--reload-on-create=true")
                : List.of(strategyFlag, "--reload-on-create=true", restartFlag);
        h.start(flags.toArray(String[]::new));
        await().atMost(20, TimeUnit.SECONDS).until(() -> record("control").contains(hashOf(Map.of("k", "v3"))));
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web")).as("no reload at start-up either").isEqualTo(patches);
        assertThat(h.template(D, NS, "web")).isEqualTo(older);
        await("reported as a revert at start-up").atMost(20, TimeUnit.SECONDS).until(() -> h.metrics().scrape()
                .contains("reloader_marker_reverted_total{workload_kind=\"Deployment\"} 1.0"));
        assertThat(h.events(NS)).filteredOn(e -> "ReloadMarkerReverted".equals(e.getReason()))
                .allSatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("web"));

        h.updateConfigMap(NS, "cfg", Map.of("k", "v4"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> record("web").contains(hashOf(Map.of("k", "v4"))));
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web")).as("the next change rolls it, once").isEqualTo(patches + 1);
        assertThat(h.template(D, NS, "web")).isNotEqualTo(older);
    }

    /**
     * Undone to the template that carried v2, and then the source itself goes back to v2: the template already
     * carries what the source implies, so only the record follows it (metadata, no rollout). Without that, the
     * source's next change to v3 would look applied (the record still said v3) and never roll.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"env-vars", "annotations"})
    void anUndoneWorkloadWhoseSourceReturnsToItsMarkerRollsOnTheNextChange(String strategy) {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.create(workload(D, NS, "web", AUTO, envFromConfigMaps("cfg")));
        // v2→v3→v2→v3 within minutes is a flapping source (--flap-window, default 10m), which is held; this
        // test is about the record, so flap holding is off.
        h.start("--reload-strategy=" + strategy, "--flap-window=0");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(record("web")).contains(hashOf(Map.of("k", "v2"))));
        h.awaitIdle();
        PodTemplateSpec carriesV2 = h.template(D, NS, "web");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(record("web")).contains(hashOf(Map.of("k", "v3"))));
        h.awaitIdle();
        h.client.apps().deployments().inNamespace(NS).withName("web").edit(x -> new DeploymentBuilder(x).editSpec()
                .withTemplate(carriesV2).endSpec().build()); // kubectl rollout undo
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(reverts()).isGreaterThanOrEqualTo(1));
        h.awaitIdle();
        long generation = generation("web");

        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await("the record follows the template").atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(record("web")).contains(hashOf(Map.of("k", "v2"))));
        h.awaitIdle();
        assertThat(generation("web")).as("no rollout: the pods' template already says v2").isEqualTo(generation);
        assertThat(h.template(D, NS, "web")).isEqualTo(carriesV2);

        h.updateConfigMap(NS, "cfg", Map.of("k", "v3"));
        await("the next change rolls").atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(generation("web")).isEqualTo(generation + 1));
        assertThat(record("web")).contains(hashOf(Map.of("k", "v3")));
    }

    private String record(String name) {
        return h.get(D, NS, name).getMetadata().getAnnotations().getOrDefault(AnnotationKeys.APPLIED_HASHES, "");
    }

    private long reverts() {
        return h.events(NS).stream().filter(e -> "ReloadMarkerReverted".equals(e.getReason())).count();
    }
}
