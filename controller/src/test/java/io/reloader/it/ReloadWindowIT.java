package io.reloader.it;

import io.fabric8.kubernetes.api.model.Event;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reload windows: a change outside the window is held, visible, merged, kept across a restart, applied once. */
class ReloadWindowIT extends HarnessIT {
    private static final String NS = "shop";
    private static final WorkloadKind D = WorkloadKind.DEPLOYMENT;
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** A daily window that opens {@code seconds} from now and stays open for an hour. */
    private static String windowOpeningIn(int seconds) {
        ZonedDateTime open = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(seconds);
        LocalTime start = open.toLocalTime();
        return "* " + start.format(HMS) + "-" + start.plusHours(1).format(HMS) + " UTC";
    }

    /** A daily window that opened a minute ago... an hour ago and closes in a minute: never open soon. */
    private static String windowClosedForAnHour() {
        LocalTime now = ZonedDateTime.now(ZoneOffset.UTC).toLocalTime();
        return "* " + now.plusHours(1).format(HMS) + "-" + now.plusHours(2).format(HMS) + " UTC";
    }

    private String var(String workload) {
        return h.env(D, NS, workload, "app", "STAKATER_CFG_CONFIGMAP");
    }

    private long generation(String workload) {
        Long g = h.get(D, NS, workload).getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    private String annotation(String workload, String key) {
        Map<String, String> a = h.get(D, NS, workload).getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    @Test
    void aChangeOutsideTheWindowIsHeldMergedAndAppliedOnceWhenItOpens() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.create(workload(D, NS, "web", Map.of("reloader.stakater.com/auto", "true",
                AnnotationKeys.RELOAD_WINDOW, windowOpeningIn(12)), envFromConfigMaps("cfg")));
        h.create(workload(D, NS, "control", Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("cfg")));
        h.start();
        long before = generation("web");

        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        // Barrier: the same change reloads a workload without a window.
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("control")).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e -> "ReloadHeld".equals(e.getReason())));
        Event held = h.events(NS).stream().filter(e -> "ReloadHeld".equals(e.getReason())).findFirst().orElseThrow();
        assertThat(held.getInvolvedObject().getName()).isEqualTo("web");
        assertThat(held.getMessage()).contains("CONFIGMAP 'cfg'").contains("is held until ").contains("reload window '* ");
        assertThat(h.metrics().scrape()).contains("reloader_reloads_held 1.0");
        assertThat(annotation("web", AnnotationKeys.HELD_RELOADS)).isEqualTo("{\"CONFIGMAP/cfg\":\"" + hashOf(Map.of("k", "v2")) + "\"}");
        assertThat(var("web")).isNull();

        h.updateConfigMap(NS, "cfg", Map.of("k", "v3")); // merged with the held one
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "v3"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(annotation("web", AnnotationKeys.HELD_RELOADS)).isNull());
        h.awaitIdle();
        assertThat(generation("web") - before).as("one rollout for everything held").isEqualTo(1);
        assertThat(h.metrics().scrape()).contains("reloader_reloads_held 0.0");
    }

    @Test
    void aHeldReloadSurvivesARestartAndIsHeldAgain() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.create(workload(D, NS, "web", Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("cfg")));
        h.create(workload(D, NS, "control", Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("cfg")));
        h.start("--reload-window=" + windowClosedForAnHour());
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(annotation("web", AnnotationKeys.HELD_RELOADS)).isNotNull());
        assertThat(var("control")).as("the global window holds every workload").isNull();
        h.stopController();

        h.start("--reload-window=" + windowOpeningIn(6));
        // The restarted controller holds it again from the record (the source was never reloaded before, so no
        // marker could tell), then applies it when its window opens.
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(annotation("web", AnnotationKeys.HELD_RELOADS)).isNull());
        assertThat(var("control")).isEqualTo(hashOf(Map.of("k", "v2")));
    }

    @Test
    void anInvalidWindowIsReportedAndDoesNotHoldAnything() {
        h.configMap(NS, "cfg", Map.of("k", "v1"));
        h.create(workload(D, NS, "web", Map.of("reloader.stakater.com/auto", "true",
                AnnotationKeys.RELOAD_WINDOW, "Someday 25:00-26:00"), envFromConfigMaps("cfg")));
        h.start();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e ->
                "ReloadAnnotationInvalid".equals(e.getReason()) && e.getMessage().contains(AnnotationKeys.RELOAD_WINDOW)));
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(var("web")).isEqualTo(hashOf(Map.of("k", "v2"))));
        assertThat(h.events(NS)).noneMatch(e -> "ReloadHeld".equals(e.getReason()));
    }
}
