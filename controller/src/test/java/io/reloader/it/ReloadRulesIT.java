package io.reloader.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.hash.SourceHasher;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.envFromSecret;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rules that decide whether a workload rolls, end to end. Negative cases end with a "barrier": a change
 * that must reload a control workload, after which the controller is idle, so every earlier change has been
 * fully handled and the absence of a write is meaningful.
 */
class ReloadRulesIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final String VAR = "STAKATER_APP_CONFIG_CONFIGMAP";

    private void deployment(String name, Map<String, String> annotations, String... configMaps) {
        h.create(workload(D, NS, name, annotations, envFromConfigMaps(configMaps)));
    }

    /** Adds a control Deployment following its own ConfigMap in {@code ns}. Call before starting. */
    private void control(String ns) {
        h.configMap(ns, "control", Map.of("v", "0"));
        h.create(workload(D, ns, "control", Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("control")));
    }

    private int barrierRound;

    /** Changes the control ConfigMap and waits for its reload, then for the controller to be idle. */
    private void barrier(String ns) {
        Map<String, String> data = Map.of("v", String.valueOf(++barrierRound));
        h.updateConfigMap(ns, "control", data);
        // The applied-hashes record is written by both strategies.
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.get(D, ns, "control").getMetadata().getAnnotations()
                .getOrDefault(AnnotationKeys.APPLIED_HASHES, "")).contains(hashOf(data)));
        h.awaitIdle();
    }

    private String var(String name) {
        return h.env(D, NS, name, "app", VAR);
    }

    @Test
    void labelAndAnnotationOnlyEditsDoNotReload() {
        control(NS);
        h.configMap(NS, "app-config", Map.of("k", "v"));
        deployment("web", Map.of("reloader.stakater.com/auto", "true"), "app-config");
        h.start();
        h.client.configMaps().inNamespace(NS).withName("app-config").edit(c -> new ConfigMapBuilder(c)
                .editMetadata().addToLabels("new", "label").addToAnnotations("note", "x").endMetadata().build());
        barrier(NS);
        assertThat(var("web")).isNull();
        assertThat(h.metrics().scrape()).containsPattern("reloader_skipped_total\\{reason=\"no_data_change\"} [1-9]");
    }

    @Test
    void workloadsWithoutAnnotationsAreLeftAlone() {
        control(NS);
        h.configMap(NS, "app-config", Map.of("k", "v"));
        deployment("plain", Map.of(), "app-config");
        h.start();
        h.updateConfigMap(NS, "app-config", Map.of("k", "v2"));
        barrier(NS);
        assertThat(var("plain")).isNull();
    }

    @Test
    void ignoreOnTheSourceAndExcludeOnTheWorkloadWin() {
        control(NS);
        h.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("ignored")
                .withNamespace(NS).addToAnnotations("reloader.stakater.com/ignore", "true").endMetadata()
                .addToData("k", "v").build()).create();
        h.configMap(NS, "app-config", Map.of("k", "v"));
        deployment("follows-ignored", Map.of("reloader.stakater.com/auto", "true"), "ignored");
        deployment("excludes", Map.of("reloader.stakater.com/auto", "true",
                "configmaps.exclude.reloader.stakater.com/reload", "other, app-config"), "app-config");
        h.start();
        h.client.configMaps().inNamespace(NS).withName("ignored").edit(c -> new ConfigMapBuilder(c)
                .addToData("k", "v2").build());
        h.updateConfigMap(NS, "app-config", Map.of("k", "v2"));
        barrier(NS);
        assertThat(h.env(D, NS, "follows-ignored", "app", "STAKATER_IGNORED_CONFIGMAP")).isNull();
        assertThat(var("excludes")).isNull();
    }

    @Test
    void namedReloadNeedsNoReferenceAndSearchNeedsMatch() {
        h.configMap(NS, "app-config", Map.of("k", "v"));
        h.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("matched")
                .withNamespace(NS).addToAnnotations("reloader.stakater.com/match", "true").endMetadata()
                .addToData("k", "v").build()).create();
        deployment("named", Map.of("configmap.reloader.stakater.com/reload", "other, app-.*"));
        deployment("search", Map.of("reloader.stakater.com/search", "true"), "matched", "app-config");
        h.start();
        h.updateConfigMap(NS, "app-config", Map.of("k", "v2"));
        h.client.configMaps().inNamespace(NS).withName("matched").edit(c -> new ConfigMapBuilder(c)
                .addToData("k", "v2").build());
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("named")).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(h.env(D, NS, "search", "app", "STAKATER_MATCHED_CONFIGMAP")).isNotNull());
        h.awaitIdle();
        assertThat(h.env(D, NS, "search", "app", VAR)).as("app-config has no match annotation").isNull();
    }

    @Test
    void secretsAreHashedOnDecodedDataAndTheirValuesNeverLeak() {
        String distinctive = "s3cr3t-Value-4711-\u00e9";
        String encoded = Base64.getEncoder().encodeToString(distinctive.getBytes(StandardCharsets.UTF_8));
        h.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("db-creds")
                .withNamespace(NS).endMetadata().addToData("password", Base64.getEncoder()
                        .encodeToString("old".getBytes(StandardCharsets.UTF_8))).build()).create();
        h.create(workload(D, NS, "api", Map.of("secret.reloader.stakater.com/auto", "true"), envFromSecret("db-creds")));
        h.start("--log-level=trace");
        var updated = h.client.secrets().inNamespace(NS).withName("db-creds").edit(s -> new SecretBuilder(s)
                .addToData("password", encoded).build());
        String expected = SourceHasher.secret(updated);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(h.env(D, NS, "api", "app", "STAKATER_DB_CREDS_SECRET")).isEqualTo(expected));
        h.awaitIdle();
        String everything = String.join("\n", h.logLines()) + h.metrics().scrape()
                + h.events(NS).stream().map(Event::getMessage).reduce("", String::concat);
        assertThat(everything).contains("db-creds").doesNotContain(distinctive).doesNotContain(encoded)
                .doesNotContain("s3cr3t");
    }

    @Test
    void aBadAnnotationOnOneWorkloadIsReportedWhileOthersReload() {
        h.configMap(NS, "app-config", Map.of("k", "v"));
        deployment("broken", Map.of("configmap.reloader.stakater.com/reload", "[unclosed"), "app-config");
        deployment("not-a-bool", Map.of("reloader.stakater.com/auto", "my-configmap,my-secret"), "app-config");
        deployment("healthy", Map.of("reloader.stakater.com/auto", "true"), "app-config");
        h.start();
        h.updateConfigMap(NS, "app-config", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("healthy")).isNotNull());
        h.awaitIdle();
        assertThat(var("broken")).isNull();
        assertThat(var("not-a-bool")).isNull();
        assertThat(h.logLines()).anyMatch(l -> l.contains("level=error msg=\"Skipping invalid reload annotation on "
                + "Deployment 'broken' in namespace 'shop': invalid regex \\\"[unclosed\\\" in reload annotation "
                + "\\\"configmap.reloader.stakater.com/reload\\\": "));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS).stream()
                .filter(e -> "ReloadAnnotationInvalid".equals(e.getReason())).count()).isGreaterThanOrEqualTo(2));
        assertThat(h.events(NS)).filteredOn(e -> "ReloadAnnotationInvalid".equals(e.getReason()))
                .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"))
                .anySatisfy(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("broken");
                    assertThat(e.getMessage()).contains("configmap.reloader.stakater.com/reload");
                })
                .anySatisfy(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("not-a-bool");
                    assertThat(e.getMessage()).contains("reloader.stakater.com/auto").contains("invalid boolean");
                });
    }

    @Test
    void sourcesSharingAnEnvVarNameAreReported() {
        h.configMap(NS, "app-config", Map.of("k", "v"));
        h.configMap(NS, "app.config", Map.of("k", "v"));
        deployment("clash", Map.of("reloader.stakater.com/auto", "true"), "app-config", "app.config");
        h.start();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e -> "ReloadEnvVarCollision".equals(e.getReason())
                        && e.getMessage().contains("STAKATER_APP_CONFIG_CONFIGMAP")));
    }

    @Test
    void restartingTheControllerRollsNothing() {
        control(NS);
        h.configMap(NS, "app-config", Map.of("k", "v"));
        deployment("web", Map.of("reloader.stakater.com/auto", "true"), "app-config");
        h.start("--reload-strategy=annotations");
        h.updateConfigMap(NS, "app-config", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.get(D, NS, "web").getMetadata().getGeneration()).isEqualTo(2L));
        h.awaitIdle();
        h.stopController();
        String rv = h.get(D, NS, "web").getMetadata().getResourceVersion();

        // Even replaying every source as created (sync-after-restart) must not roll a current workload.
        h.start("--reload-strategy=annotations", "--reload-on-create=true", "--sync-after-restart");
        barrier(NS);
        assertThat(h.get(D, NS, "web").getMetadata().getResourceVersion()).isEqualTo(rv);
        assertThat(h.metrics().scrape()).containsPattern("reloader_skipped_total\\{reason=\"strategy_not_updated\"} [1-9]");
    }

    @Test
    void aBurstOfChangesToTwoSourcesIsOneWrite() {
        h.configMap(NS, "a", Map.of("k", "1"));
        h.configMap(NS, "b", Map.of("k", "1"));
        deployment("web", Map.of("reloader.stakater.com/auto", "true"), "a", "b");
        h.start("--coalesce-window=1s");
        h.updateConfigMap(NS, "a", Map.of("k", "2"));
        h.updateConfigMap(NS, "b", Map.of("k", "2"));
        h.updateConfigMap(NS, "a", Map.of("k", "3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(h.env(D, NS, "web", "app", "STAKATER_A_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "3")));
            assertThat(h.env(D, NS, "web", "app", "STAKATER_B_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "2")));
        });
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web")).isEqualTo(1);
        assertThat(h.get(D, NS, "web").getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void createAndDeleteReloadOnlyWhenEnabled() {
        deployment("web", Map.of("reloader.stakater.com/auto", "true"), "app-config");
        h.start("--reload-on-create=true", "--reload-on-delete=true");
        h.configMap(NS, "app-config", Map.of("k", "v"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "v"))));
        h.awaitIdle();
        h.client.configMaps().inNamespace(NS).withName("app-config").delete();
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isNull());
    }

    @Test
    void createIsIgnoredByDefault() {
        control(NS);
        deployment("web", Map.of("reloader.stakater.com/auto", "true"), "app-config");
        h.start();
        h.configMap(NS, "app-config", Map.of("k", "v"));
        barrier(NS);
        assertThat(var("web")).isNull();
    }

    @Test
    void ignoredNamespacesAndIgnoredResourceTypesAreNotWatched() {
        control(NS);
        h.configMap("kube-system", "app-config", Map.of("k", "v"));
        h.create(workload(D, "kube-system", "sys", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        h.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("s")
                .withNamespace(NS).endMetadata().addToData("k", "dg==").build()).create();
        h.create(workload(D, NS, "api", Map.of("reloader.stakater.com/auto", "true"), envFromSecret("s")));
        h.start("--namespaces-to-ignore=kube-system", "--resources-to-ignore=secrets");
        h.updateConfigMap("kube-system", "app-config", Map.of("k", "v2"));
        h.client.secrets().inNamespace(NS).withName("s").edit(s -> new SecretBuilder(s).addToData("k", "djI=").build());
        barrier(NS);
        assertThat(h.env(D, "kube-system", "sys", "app", VAR)).isNull();
        assertThat(h.env(D, NS, "api", "app", "STAKATER_S_SECRET")).isNull();
        assertThat(h.metrics().scrape()).containsPattern(
                "reloader_skipped_total\\{reason=\"ignored_or_not_selected\"} [1-9]");
    }

    @Test
    void namespaceSelectorLimitsTheNamespaces() {
        h.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS)
                .addToLabels("reload", "yes").endMetadata().build()).create();
        h.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("other")
                .addToLabels("reload", "no").endMetadata().build()).create();
        control(NS);
        h.configMap("other", "app-config", Map.of("k", "v"));
        h.create(workload(D, "other", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        h.start("--namespace-selector=reload:yes");
        h.updateConfigMap("other", "app-config", Map.of("k", "v2"));
        barrier(NS);
        assertThat(h.env(D, "other", "web", "app", VAR)).isNull();
    }

    @Test
    void scopedNamespacesWatchOnlyThoseNamespaces() {
        control(NS);
        h.configMap("elsewhere", "app-config", Map.of("k", "v"));
        h.create(workload(D, "elsewhere", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        h.start("--namespaces=" + NS);
        h.updateConfigMap("elsewhere", "app-config", Map.of("k", "v2"));
        barrier(NS);
        assertThat(h.env(D, "elsewhere", "web", "app", VAR)).isNull();
    }
}
