package io.reloader.it;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Job recreated for a reload keeps its labels and annotations, apart from those the Job controller generates. */
class JobRecreateIT extends HarnessIT {
    private static final String NS = "batch";
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    @Test
    void theRecreatedJobKeepsItsLabelsAndAnnotationsButNotTheGeneratedOnes() {
        h.configMap(NS, "cfg", Map.of("k", "v"));
        Job base = (Job) workload(WorkloadKind.JOB, NS, "migrate", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg"));
        // As the Job controller and kubectl apply leave a Job: generated labels on it and on its template, a
        // generated selector, and the whole manifest in last-applied-configuration (which the cache drops).
        Job job = new JobBuilder(base).editMetadata().addToLabels("team", "payments").addToLabels("tier", "batch")
                .addToLabels("controller-uid", "old-uid").addToLabels("batch.kubernetes.io/controller-uid", "old-uid")
                .addToLabels("job-name", "migrate").addToLabels("batch.kubernetes.io/job-name", "migrate")
                .addToAnnotations("owner", "db-team").addToAnnotations(LAST_APPLIED, "{\"kind\":\"Job\"}")
                .addToAnnotations("batch.kubernetes.io/job-tracking", "").endMetadata()
                .editSpec().withNewSelector().addToMatchLabels("batch.kubernetes.io/controller-uid", "old-uid")
                .endSelector().editTemplate().editMetadata().addToLabels("controller-uid", "old-uid")
                .addToLabels("batch.kubernetes.io/controller-uid", "old-uid").addToLabels("job-name", "migrate")
                .addToLabels("batch.kubernetes.io/job-name", "migrate").endMetadata().endTemplate().endSpec().build();
        Job original = h.create(job);
        h.start();

        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            Job j = h.client.batch().v1().jobs().inNamespace(NS).withName("migrate").get();
            assertThat(j).as("the Job, recreated").isNotNull();
            assertThat(j.getMetadata().getUid()).isNotEqualTo(original.getMetadata().getUid());
        });
        Job recreated = h.client.batch().v1().jobs().inNamespace(NS).withName("migrate").get();
        assertThat(recreated.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("team", "payments", "tier", "batch"));
        assertThat(recreated.getMetadata().getAnnotations()).containsEntry("owner", "db-team")
                .containsEntry(LAST_APPLIED, "{\"kind\":\"Job\"}")
                .containsEntry("reloader.stakater.com/auto", "true")
                .doesNotContainKey("batch.kubernetes.io/job-tracking");
        assertThat(recreated.getSpec().getSelector()).isNull();
        assertThat(recreated.getSpec().getTemplate().getMetadata().getLabels()).containsExactlyEntriesOf(
                Map.of("app", "migrate"));
        assertThat(recreated.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getValue()).isEqualTo(hashOf(Map.of("k", "v2"))));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e -> "Reloaded".equals(e.getReason())));
    }
}
