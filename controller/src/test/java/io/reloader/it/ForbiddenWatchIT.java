package io.reloader.it;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With Reloader's RBAC (no watch on workloads) the controller falls back to a LIST per change (docs/compatibility.md#indexed-lookup). */
class ForbiddenWatchIT extends HarnessIT {

    @Test
    void forbiddenWorkloadWatchFallsBackToListingPerChange() {
        h.server.expect().get().withPath("/apis/apps/v1/statefulsets?limit=500")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("statefulsets.apps is forbidden: cannot watch").build()).always();
        h.server.expect().get().withPath("/apis/apps/v1/namespaces/shop/statefulsets")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("statefulsets.apps is forbidden: cannot list").build()).always();
        h.configMap("shop", "app-config", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        h.create(workload(WorkloadKind.DEPLOYMENT, "reloader", "reloader-reloader", Map.of(), envFromConfigMaps()));
        h.start(Map.of("RELOADER_NAMESPACE", "reloader", "RELOADER_DEPLOYMENT_NAME", "reloader-reloader"));
        assertThat(h.logLines()).anyMatch(l -> l.contains("level=warning") && l.contains("falling back to listing"));
        assertThat(h.metrics().scrape()).contains("reloader_forbidden_total{resource=\"workloads\"} 1.0");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events("reloader")).anyMatch(e ->
                "ReloaderForbidden".equals(e.getReason()) && "reloader-reloader".equals(e.getInvolvedObject().getName())));

        h.updateConfigMap("shop", "app-config", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_APP_CONFIG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        assertThat(h.requests()).anyMatch(r -> r.getMethod().equals("GET")
                && r.getPath().equals("/apis/apps/v1/namespaces/shop/deployments"));
        assertThat(h.logLines()).anyMatch(l -> l.contains("level=error msg=\"Failed to list statefulSets "));
        assertThat(h.metrics().scrape()).containsPattern("reloader_forbidden_total\\{resource=\"statefulSets\"} [1-9]");
    }

    @Test
    void withWatchAllowedAChangeCostsNoList() {
        h.configMap("shop", "app-config", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        h.start();
        int before = h.requests().size();
        h.updateConfigMap("shop", "app-config", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_APP_CONFIG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        h.awaitIdle();
        assertThat(h.requests().subList(before, h.requests().size()))
                .filteredOn(r -> r.getMethod().equals("GET") && !r.getPath().contains("watch=true")
                        && !r.getPath().contains("/configmaps/app-config") && !r.getPath().contains("/deployments/web"))
                .as("no LIST of workloads per change").isEmpty();
    }

    /**
     * Without watch on workloads there is no cache, yet catch-up and pause recovery still run at start, from one
     * paginated LIST per kind: a workload whose marker holds an older hash is reloaded, a Deployment paused by a
     * reload whose period is over is resumed.
     */
    @Test
    void theListFallbackStillCatchesUpAndResumesAtStart() {
        h.forbidDeploymentWatch();
        h.configMap("shop", "cfg", Map.of("k", "v1"));
        h.create(new DeploymentBuilder((Deployment) workload(WorkloadKind.DEPLOYMENT, "shop", "web",
                Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("cfg"))).editSpec().editTemplate()
                .editSpec().editFirstContainer().addNewEnv().withName("STAKATER_CFG_CONFIGMAP")
                .withValue(hashOf(Map.of("k", "v0"))).endEnv().endContainer().endSpec().endTemplate().endSpec().build());
        h.create(new DeploymentBuilder((Deployment) workload(WorkloadKind.DEPLOYMENT, "shop", "paused",
                Map.of("deployment.reloader.stakater.com/pause-period", "1s",
                        "deployment.reloader.stakater.com/paused-at", "2026-01-01T00:00:00Z"), envFromConfigMaps()))
                .editSpec().withPaused(true).endSpec().build());

        h.start();
        assertThat(h.logLines()).anyMatch(l -> l.contains("falling back to listing"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v1"))));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(((Deployment) h.get(WorkloadKind.DEPLOYMENT, "shop", "paused")).getSpec().getPaused()).isNotEqualTo(Boolean.TRUE));
        assertThat(h.controllerRequests()).as("one paginated LIST of Deployments serves pause recovery and catch-up")
                .filteredOn(r -> r.getMethod().equals("GET") && r.getPath().startsWith("/apis/apps/v1/deployments?")
                        && !r.getPath().contains("watch")).hasSize(2); // the informer's attempt, then the fallback's
    }
}
