package io.reloader.it;

import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.ControllerHarness.hashOf;
import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A kubectl-applied workload whose only metadata annotation is kubectl's last-applied-configuration (which the
 * workload cache does not keep) keeps it through a reload: the write adds keys to the live map instead of
 * replacing the map the cached copy seemed to lack.
 */
class LastAppliedIT extends HarnessIT {
    private static final String NS = "applied";
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    enum Kind { DEPLOYMENT, STATEFULSET, DAEMONSET }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReloadKeepsKubectlsLastAppliedAnnotation(Kind k) {
        WorkloadKind kind = switch (k) {
            case DEPLOYMENT -> WorkloadKind.DEPLOYMENT;
            case STATEFULSET -> WorkloadKind.STATEFULSET;
            case DAEMONSET -> WorkloadKind.DAEMONSET;
        };
        String applied = "{\"apiVersion\":\"apps/v1\",\"kind\":\"" + kind.kindName() + "\",\"metadata\":{\"name\":\"web\"}}";
        h.configMap(NS, "cfg", Map.of("k", "v"));
        h.create(workload(kind, NS, "web", Map.of(LAST_APPLIED, applied),
                Map.of("reloader.stakater.com/auto", "true"), envFromConfigMaps("cfg")));
        h.start();
        h.updateConfigMap(NS, "cfg", Map.of("k", "v2"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(kind, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v2"))));
        Map<String, String> annotations = h.get(kind, NS, "web").getMetadata().getAnnotations();
        assertThat(annotations).containsEntry(LAST_APPLIED, applied).containsKey(AnnotationKeys.APPLIED_HASHES);

        // And a second reload, now that the cached copy has a map of its own, still keeps it.
        h.updateConfigMap(NS, "cfg", Map.of("k", "v3"));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.env(kind, NS, "web", "app", "STAKATER_CFG_CONFIGMAP")).isEqualTo(hashOf(Map.of("k", "v3"))));
        assertThat(h.get(kind, NS, "web").getMetadata().getAnnotations()).containsEntry(LAST_APPLIED, applied);
    }
}
