package io.reloader.it;

import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A scrape after known reloads: Reloader's names, labels, buckets and values (docs/compatibility.md#observability). */
class MetricsIT extends HarnessIT {

    @Test
    void familiesNamesLabelsAndValuesAfterKnownReloads() {
        h.configMap("shop", "cfg", Map.of("k", "v"));
        h.configMap("shop", "unused", Map.of("k", "v"));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "a", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.create(workload(WorkloadKind.STATEFULSET, "shop", "b", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("cfg")));
        h.start(Map.of("METRICS_COUNT_BY_NAMESPACE", "enabled"));
        h.updateConfigMap("shop", "cfg", Map.of("k", "v2"));
        h.updateConfigMap("shop", "unused", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.metrics().scrape()).contains("reloader_reload_executed_total{success=\"true\"} 2.0"));
        h.awaitIdle();
        String scrape = h.metrics().scrape();
        assertThat(scrape)
                .contains("# TYPE reloader_reload_executed_total counter")
                .contains("reloader_reload_executed_total{success=\"false\"} 0.0")
                .contains("reloader_reload_executed_total_by_namespace{namespace=\"shop\",success=\"true\"} 2.0")
                .contains("reloader_action_total{result=\"success\",workload_kind=\"Deployment\"} 1.0")
                .contains("reloader_action_total{result=\"success\",workload_kind=\"StatefulSet\"} 1.0")
                .contains("reloader_reconcile_total{result=\"success\"} 2.0")
                .contains("reloader_reconcile_total{result=\"skipped\"} 1.0")
                .contains("reloader_events_received_total{event_type=\"update\",resource_type=\"configmaps\"} 2.0")
                .contains("reloader_events_processed_total{event_type=\"unknown\",resource_type=\"configmaps\",result=\"success\"} 2.0")
                .contains("reloader_workloads_matched_total{kind=\"Deployment\"} 1.0")
                .contains("reloader_workloads_scanned_total{kind=\"StatefulSet\"} 1.0")
                .contains("reloader_workqueue_depth 0.0")
                .contains("reloader_workqueue_adds_total 2.0")
                .contains("reloader_skipped_total{reason=\"ignored_or_not_selected\"}")
                .contains("# TYPE reloader_reconcile_duration_seconds histogram")
                .contains("reloader_reconcile_duration_seconds_bucket{result=\"success\",le=\"0.001\"}")
                .contains("reloader_reconcile_duration_seconds_bucket{result=\"success\",le=\"10.0\"}")
                .contains("reloader_action_latency_seconds_bucket{workload_kind=\"Deployment\",le=\"60.0\"} 1")
                .contains("reloader_workqueue_latency_seconds_bucket{le=\"5.0\"} 2")
                .contains("process_resident_memory_bytes")
                .contains("process_cpu_seconds_total")
                .contains("process_start_time_seconds");
    }
}
