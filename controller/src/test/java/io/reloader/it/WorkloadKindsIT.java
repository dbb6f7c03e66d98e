package io.reloader.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.ReloadedFromMarker;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** CronJobs, Jobs, Argo Rollouts and Deployment pause periods on the in-process API server. */
class WorkloadKindsIT extends HarnessIT {
    private static final String NS = "batch";
    private static final Map<String, String> AUTO = Map.of("reloader.stakater.com/auto", "true");

    private List<Job> jobs() {
        return h.client.batch().v1().jobs().inNamespace(NS).list().getItems();
    }

    @Test
    void aCronJobGetsOneNewJobPerHashAndIsNeverModified() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        HasMetadata cron = h.create(workload(WorkloadKind.CRONJOB, NS, "nightly", AUTO, envFromConfigMaps("cfg")));
        h.configMap(NS, "control", Map.of("k", "0"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "control", AUTO, envFromConfigMaps("control")));
        h.start();
        String rv = h.get(WorkloadKind.CRONJOB, NS, "nightly").getMetadata().getResourceVersion();

        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(jobs().size()).isEqualTo(1));
        Job job = jobs().get(0);
        assertThat(job.getMetadata().getName()).startsWith("nightly-");
        assertThat(job.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual")
                .containsEntry("from-template", "yes");
        assertThat(job.getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("CronJob");
            assertThat(o.getUid()).isEqualTo(cron.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
            assertThat(o.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("STAKATER_CFG_CONFIGMAP");
                    assertThat(e.getValue()).isEqualTo(hashOf(Map.of("k", "v2")));
                });
        h.awaitIdle();
        assertThat(h.get(WorkloadKind.CRONJOB, NS, "nightly").getMetadata().getResourceVersion()).isEqualTo(rv);

        // Same data again (e.g. a revert and re-apply landing on the same hash) creates no second Job.
        h.updateConfigMap(NS, "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(jobs().size()).isEqualTo(2));
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        // Barrier: a later change to another workload is written, so the change above was handled before it.
        h.updateConfigMap(NS, "control", Map.of("k", "1"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "control", "app", "STAKATER_CONTROL_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "1"))));
        h.awaitIdle();
        assertThat(jobs()).hasSize(2);
        assertThat(h.controllerRequests()).as("the CronJob's Jobs come from the Job cache, not a LIST per reload")
                .noneMatch(r -> r.getMethod().equals("GET")
                        && r.getPath().split("\\?")[0].equals("/apis/batch/v1/namespaces/" + NS + "/jobs"));
    }

    @Test
    void aSuspendedCronJobIsSkippedOnlyWhenAskedTo() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(new CronJobBuilder((io.fabric8.kubernetes.api.model.batch.v1.CronJob)
                workload(WorkloadKind.CRONJOB, NS, "paused", AUTO, envFromConfigMaps("cfg")))
                .editSpec().withSuspend(true).endSpec().build());
        h.configMap(NS, "control", Map.of("v", "0"));
        h.create(workload(WorkloadKind.CRONJOB, NS, "control", AUTO, envFromConfigMaps("control")));
        h.start("--cronjob-respect-suspend");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        h.updateConfigMap(NS, "control", Map.of("v", "1"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(jobs().size()).isEqualTo(1));
        h.awaitIdle();
        assertThat(jobs()).singleElement().satisfies(j -> assertThat(j.getMetadata().getName()).startsWith("control-"));
    }

    @Test
    void aJobIsRecreatedUnderTheSameNameWithGeneratedFieldsCleared() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        Job original = (Job) h.create(workload(WorkloadKind.JOB, NS, "migrate", AUTO, envFromConfigMaps("cfg")));
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            Job j = h.client.batch().v1().jobs().inNamespace(NS).withName("migrate").get();
            assertThat(j).as("the Job, recreated").isNotNull();
            assertThat(j.getMetadata().getUid()).isNotEqualTo(original.getMetadata().getUid());
        });
        Job recreated = h.client.batch().v1().jobs().inNamespace(NS).withName("migrate").get();
        assertThat(recreated.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getValue()).isEqualTo(hashOf(Map.of("k", "v2"))));
        assertThat(recreated.getSpec().getSelector()).isNull();
        assertThat(h.requests()).anyMatch(r -> r.getMethod().equals("DELETE") && r.getPath().contains("/jobs/migrate"));
    }

    @Test
    void ignoredWorkloadTypesAreNotReloaded() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.CRONJOB, NS, "nightly", AUTO, envFromConfigMaps("cfg")));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", AUTO, envFromConfigMaps("cfg")));
        h.start("--ignored-workload-types=jobs,cronjobs");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isNotNull());
        h.awaitIdle();
        assertThat(jobs()).isEmpty();
        assertThat(h.requests()).noneMatch(r -> r.getMethod().equals("GET") && r.getPath().contains("/cronjobs"));
    }

    @Test
    void rolloutsGetTheTemplateChangeOrARestart() {
        h.server.expectCustomResource(Workloads.ROLLOUTS);
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.ROLLOUT, NS, "canary", AUTO, envFromConfigMaps("cfg")));
        h.create(workload(WorkloadKind.ROLLOUT, NS, "restarted", Map.of("reloader.stakater.com/auto", "true",
                AnnotationKeys.ROLLOUT_STRATEGY, "restart"), envFromConfigMaps("cfg")));
        h.start("--is-Argo-Rollouts=true", "--reload-strategy=annotations");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(h.templateAnnotation(WorkloadKind.ROLLOUT, NS, "canary", AnnotationKeys.LAST_RELOADED_FROM)).isNotNull());
        assertThat(ReloadedFromMarker.parse(h.templateAnnotation(WorkloadKind.ROLLOUT, NS, "canary",
                AnnotationKeys.LAST_RELOADED_FROM)).orElseThrow().hash()).isEqualTo(hashOf(Map.of("k", "v2")));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(spec("restarted").get("restartAt")).isNotNull());
        Instant.parse(String.valueOf(spec("restarted").get("restartAt")));
        assertThat(h.templateAnnotation(WorkloadKind.ROLLOUT, NS, "restarted", AnnotationKeys.LAST_RELOADED_FROM))
                .as("restart throws the template change away").isNull();
    }

    @Test
    void aRolloutWithAWorkloadRefFollowsTheReferencedTemplate() {
        h.server.expectCustomResource(Workloads.ROLLOUTS);
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "template-holder", Map.of(), envFromConfigMaps("cfg")));
        GenericKubernetesResource ref = Workloads.rollout(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName("by-ref").withNamespace(NS).withAnnotations(AUTO).build(), null);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) ref.getAdditionalProperties().get("spec");
        spec.put("workloadRef", Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "template-holder"));
        h.create(ref);
        h.start("--is-Argo-Rollouts=true");
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(spec("by-ref").get("restartAt")).isNotNull());
        assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "template-holder", "app", "STAKATER_CFG_CONFIGMAP"))
                .as("the referenced Deployment is not annotated").isNull();
    }

    @Test
    void rolloutsEnabledWithoutTheCrdWarnOnceAndEverythingElseWorks() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", AUTO, envFromConfigMaps("cfg")));
        h.server.expect().get().withPath("/apis/argoproj.io/v1alpha1/rollouts?limit=500")
                .andReturn(404, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(404)
                        .withMessage("the server could not find the requested resource").build()).always();
        h.start("--is-Argo-Rollouts=true");
        assertThat(h.logLines()).filteredOn(l -> l.contains("Rollouts will not be reloaded")).hasSize(1);
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
    }

    @Test
    void aPausePeriodPausesInTheReloadWriteAndResumes() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", Map.of("reloader.stakater.com/auto", "true",
                "deployment.reloader.stakater.com/pause-period", "2s"), envFromConfigMaps("cfg")));
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(deployment("web").getSpec().getPaused()).isEqualTo(Boolean.TRUE));
        Deployment paused = deployment("web");
        assertThat(paused.getMetadata().getAnnotations()).containsKey("deployment.reloader.stakater.com/paused-at");
        assertThat(h.env(WorkloadKind.DEPLOYMENT, NS, "web", "app", "STAKATER_CFG_CONFIGMAP"))
                .isEqualTo(hashOf(Map.of("k", "v2")));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(deployment("web").getSpec().getPaused()).isNotEqualTo(Boolean.TRUE));
        assertThat(deployment("web").getMetadata().getAnnotations())
                .doesNotContainKey("deployment.reloader.stakater.com/paused-at");
        // The resume is logged after its patch returns, which the test may see first.
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.logLines())
                .anyMatch(l -> l.contains("Pausing Deployment 'web' in namespace 'batch' for 2s"))
                .anyMatch(l -> l.contains("Successfully resumed deployment 'web' in namespace 'batch'")));
    }

    @Test
    void aDeploymentPausedBeforeARestartIsResumedAndOnePausedByAPersonIsNot() {
        String longAgo = Instant.now().minusSeconds(3600).toString().replaceAll("\\.\\d+Z$", "Z");
        h.create(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder((Deployment) workload(
                WorkloadKind.DEPLOYMENT, NS, "ours", Map.of("deployment.reloader.stakater.com/pause-period", "5m",
                        "deployment.reloader.stakater.com/paused-at", longAgo), envFromConfigMaps("cfg")))
                .editSpec().withPaused(true).endSpec().build());
        h.create(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder((Deployment) workload(
                WorkloadKind.DEPLOYMENT, NS, "theirs", Map.of("deployment.reloader.stakater.com/pause-period", "5m"),
                envFromConfigMaps("cfg"))).editSpec().withPaused(true).endSpec().build());
        h.start();
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(deployment("ours").getSpec().getPaused()).isNotEqualTo(Boolean.TRUE));
        assertThat(deployment("theirs").getSpec().getPaused()).isTrue();
    }

    @Test
    void anInvalidPausePeriodFailsTheWriteWithAReloadFailEvent() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", Map.of("reloader.stakater.com/auto", "true",
                "deployment.reloader.stakater.com/pause-period", "5 minutes"), envFromConfigMaps("cfg")));
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e -> "ReloadFail".equals(e.getReason())));
        assertThat(h.logLines()).anyMatch(l -> l.contains("level=warning msg=\"Failed to parse pause interval value "
                + "'5 minutes': "));
        assertThat(h.events(NS)).filteredOn(e -> "ReloadFail".equals(e.getReason())).first().satisfies(e ->
                assertThat(e.getMessage()).startsWith("Update for 'web' of type 'Deployment' in namespace 'batch' "
                        + "failed with error "));
    }

    @Test
    void anOnDeleteStatefulSetGetsTheChangeAndAWarningThatPodsWillNotRestart() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder((io.fabric8.kubernetes.api.model.apps.StatefulSet)
                workload(WorkloadKind.STATEFULSET, NS, "db", AUTO, envFromConfigMaps("cfg")))
                .editSpec().withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec().build());
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e -> "ReloadPendingOnDelete".equals(e.getReason())));
        assertThat(h.env(WorkloadKind.STATEFULSET, NS, "db", "app", "STAKATER_CFG_CONFIGMAP"))
                .isEqualTo(hashOf(Map.of("k", "v2")));
    }

    private Deployment deployment(String name) {
        return h.client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> spec(String rollout) {
        return (Map<String, Object>) ((GenericKubernetesResource) h.get(WorkloadKind.ROLLOUT, NS, rollout))
                .getAdditionalProperties().get("spec");
    }
}
