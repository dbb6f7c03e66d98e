package io.reloader.it;

import io.fabric8.kubernetes.api.model.Event;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A source that flips between versions (two controllers fighting over it) is held: one revert rolls, the second
 * return rolls nothing, says so on the source and in the gauge, and once the source stays unchanged for the window
 * the workload rolls once to what the source holds then. Other sources keep reloading meanwhile.
 */
class FlappingSourceIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");
    private static final Map<String, String> A = Map.of("tls.crt", "issued-by-a");
    private static final Map<String, String> B = Map.of("tls.crt", "issued-by-b");

    private String marker(String workload, String configMap) {
        return h.env(D, NS, workload, "app", "STAKATER_" + configMap.toUpperCase().replace('-', '_') + "_CONFIGMAP");
    }

    private List<Event> events(String reason) {
        return h.events(NS).stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private String gauge() {
        return h.metrics().scrape().lines().filter(l -> l.startsWith("reloader_sources_flapping ")).findFirst()
                .orElse("absent");
    }

    /** The control workload rolls to {@code data}: the controller is handling changes (a barrier, not a sleep). */
    private void controlRollsTo(Map<String, String> data) {
        h.updateConfigMap(NS, "control", data);
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(marker("other", "control")).isEqualTo(hashOf(data)));
        h.awaitIdle();
    }

    @Test
    void aSecondReturnWithinTheWindowHoldsTheSourceUntilItSettlesThenRollsOnce() {
        h.configMap(NS, "tls", A);
        h.configMap(NS, "control", Map.of("v", "0"));
        h.create(workload(D, NS, "web", AUTO, envFromConfigMaps("tls")));
        h.create(workload(D, NS, "other", AUTO, envFromConfigMaps("control")));
        h.start("--flap-window=3s");

        // A→B→A: a rollback, which rolls each time.
        ReloadCauseIT.updateAs(h, NS, "tls", B, "issuer-b");
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> assertThat(marker("web", "tls")).isEqualTo(hashOf(B)));
        ReloadCauseIT.updateAs(h, NS, "tls", A, "issuer-a");
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> assertThat(marker("web", "tls")).isEqualTo(hashOf(A)));
        h.awaitIdle();
        assertThat(events("SourceFlapping")).isEmpty();
        assertThat(gauge()).isEqualTo("reloader_sources_flapping 0.0");
        long writesBefore = h.patchesTo("/deployments/web");

        // →B: the second return within the window. It and every later flip roll nothing.
        ReloadCauseIT.updateAs(h, NS, "tls", B, "issuer-b");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(events("SourceFlapping")).hasSize(1));
        Event flapping = events("SourceFlapping").get(0);
        assertThat(flapping.getType()).isEqualTo("Warning");
        assertThat(flapping.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
        assertThat(flapping.getInvolvedObject().getName()).isEqualTo("tls");
        assertThat(flapping.getInvolvedObject().getUid())
                .isEqualTo(h.client.configMaps().inNamespace(NS).withName("tls").get().getMetadata().getUid());
        assertThat(flapping.getMessage()).contains("issuer-a", "issuer-b", "Deployment shop/web")
                .doesNotContain("Deployment shop/other").doesNotContain("issued-by");
        assertThat(gauge()).isEqualTo("reloader_sources_flapping 1.0");
        ReloadCauseIT.updateAs(h, NS, "tls", A, "issuer-a");
        ReloadCauseIT.updateAs(h, NS, "tls", B, "issuer-b");

        controlRollsTo(Map.of("v", "1"));
        assertThat(marker("web", "tls")).as("held while flapping").isEqualTo(hashOf(A));
        assertThat(h.patchesTo("/deployments/web")).isEqualTo(writesBefore);
        assertThat(events("SourceFlapping")).as("one Event, not one per flip").hasSize(1)
                .allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
        assertThat(events("SourceSettled")).isEmpty();

        // Unchanged for the window: one roll to the current data.
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(marker("web", "tls")).isEqualTo(hashOf(B)));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(events("SourceSettled")).hasSize(1));
        Event settled = events("SourceSettled").get(0);
        assertThat(settled.getType()).isEqualTo("Normal");
        assertThat(settled.getInvolvedObject().getName()).isEqualTo("tls");
        assertThat(settled.getMessage()).contains("Deployment shop/web");
        assertThat(gauge()).isEqualTo("reloader_sources_flapping 0.0");
        controlRollsTo(Map.of("v", "2"));
        assertThat(h.patchesTo("/deployments/web")).as("exactly one roll").isEqualTo(writesBefore + 1);
    }

    @Test
    void aSourceThatSettlesOnTheVersionTheWorkloadRunsRollsNothing() {
        h.configMap(NS, "tls", A);
        h.configMap(NS, "control", Map.of("v", "0"));
        h.create(workload(D, NS, "web", AUTO, envFromConfigMaps("tls")));
        h.create(workload(D, NS, "other", AUTO, envFromConfigMaps("control")));
        h.start("--flap-window=2s");

        ReloadCauseIT.updateAs(h, NS, "tls", B, "issuer-b");
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> assertThat(marker("web", "tls")).isEqualTo(hashOf(B)));
        ReloadCauseIT.updateAs(h, NS, "tls", A, "issuer-a");
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> assertThat(marker("web", "tls")).isEqualTo(hashOf(A)));
        h.awaitIdle();
        long writesBefore = h.patchesTo("/deployments/web");
        ReloadCauseIT.updateAs(h, NS, "tls", B, "issuer-b");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(events("SourceFlapping")).hasSize(1));
        ReloadCauseIT.updateAs(h, NS, "tls", A, "issuer-a"); // back where the workload is

        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(events("SourceSettled")).hasSize(1));
        assertThat(gauge()).isEqualTo("reloader_sources_flapping 0.0");
        controlRollsTo(Map.of("v", "1"));
        assertThat(marker("web", "tls")).isEqualTo(hashOf(A));
        assertThat(h.patchesTo("/deployments/web")).as("its marker equals the current data").isEqualTo(writesBefore);
    }

    @Test
    void withTheWindowOffEveryFlipRolls() {
        h.configMap(NS, "tls", A);
        h.create(workload(D, NS, "web", AUTO, envFromConfigMaps("tls")));
        h.start("--flap-window=0");
        for (Map<String, String> data : List.of(B, A, B, A)) {
            ReloadCauseIT.updateAs(h, NS, "tls", data, "issuer");
            await().atMost(15, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(marker("web", "tls")).isEqualTo(hashOf(data)));
        }
        assertThat(events("SourceFlapping")).isEmpty();
    }

    private void secretAs(String name, String value, String writer) {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        io.fabric8.kubernetes.api.model.FieldsV1 fields = new io.fabric8.kubernetes.api.model.FieldsV1();
        fields.setAdditionalProperty("f:data", Map.of());
        h.client.secrets().inNamespace(NS).withName(name).edit(s -> new io.fabric8.kubernetes.api.model.SecretBuilder(s)
                .withData(Map.of("tls.crt", java.util.Base64.getEncoder().encodeToString(value.getBytes())))
                .editMetadata().withManagedFields(new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder()
                        .withManager(writer).withOperation("Update").withApiVersion("v1").withFieldsType("FieldsV1")
                        .withTime(now.toString()).withFieldsV1(fields).build()).endMetadata().build());
    }

    private String secretMarker() {
        return h.env(D, NS, "web", "app", "STAKATER_TLS_SECRET");
    }

    /** A Secret flaps as a ConfigMap does: A→B→A rolls, the next →B is the second return and is held. */
    @Test
    void aSecretFlapsLikeAConfigMap() {
        h.client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("tls").withNamespace(NS).endMetadata().withData(Map.of("tls.crt",
                        java.util.Base64.getEncoder().encodeToString("a".getBytes()))).build()).create();
        h.configMap(NS, "control", Map.of("v", "0"));
        h.create(workload(D, NS, "web", AUTO, Workloads.envFromSecret("tls")));
        h.create(workload(D, NS, "other", AUTO, envFromConfigMaps("control")));
        h.start("--flap-window=3s");

        secretAs("tls", "b", "issuer-b");
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> assertThat(secretMarker()).isNotNull());
        String b = secretMarker();
        secretAs("tls", "a", "issuer-a");
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> assertThat(secretMarker()).isNotEqualTo(b));
        String a = secretMarker();
        h.awaitIdle();
        assertThat(events("SourceFlapping")).isEmpty();

        secretAs("tls", "b", "issuer-b");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(events("SourceFlapping")).hasSize(1));
        Event flapping = events("SourceFlapping").get(0);
        assertThat(flapping.getType()).isEqualTo("Warning");
        assertThat(flapping.getInvolvedObject().getKind()).isEqualTo("Secret");
        assertThat(flapping.getInvolvedObject().getName()).isEqualTo("tls");
        assertThat(flapping.getMessage()).contains("issuer-a", "issuer-b", "Deployment shop/web");
        controlRollsTo(Map.of("v", "1"));
        assertThat(secretMarker()).as("held while flapping").isEqualTo(a);

        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(secretMarker()).isEqualTo(b));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(events("SourceSettled")).hasSize(1));
    }
}
