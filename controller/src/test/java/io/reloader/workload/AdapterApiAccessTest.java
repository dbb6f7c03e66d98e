package io.reloader.workload;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each adapter declares it needs from the API server ({@link WorkloadAdapter#apiAccess}) is the table of API
 * calls the chart's RBAC is checked against ({@code rbac/api-calls.yaml}, see RbacTableTest), both ways, for every
 * workload resource: a kind's adapter is where its RBAC needs are written down.
 */
class AdapterApiAccessTest {

    /** "group/resource" → verbs, over the table's rows for the resources of workload kinds. */
    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> table(Set<String> resources) throws IOException {
        try (InputStream in = AdapterApiAccessTest.class.getResourceAsStream("/rbac/api-calls.yaml")) {
            Map<String, Object> doc = new KubernetesSerialization().unmarshal(in, Map.class);
            Map<String, Set<String>> out = new TreeMap<>();
            for (Map<String, Object> row : (List<Map<String, Object>>) doc.get("calls")) {
                String key = row.get("group") + "/" + row.get("resource");
                if (resources.contains(key)) {
                    out.computeIfAbsent(key, k -> new TreeSet<>()).addAll((List<String>) row.get("verbs"));
                }
            }
            return out;
        }
    }

    private static Map<String, Set<String>> declared(List<WorkloadAdapter> adapters) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (WorkloadAdapter a : adapters) {
            for (ApiAccess access : a.apiAccess()) {
                out.computeIfAbsent(access.group() + "/" + access.resource(), k -> new TreeSet<>())
                        .addAll(access.verbs());
            }
        }
        return out;
    }

    @Test
    void theBuiltInAdaptersDeclareWhatTheRbacTableGrants() throws IOException {
        Map<String, Set<String>> declared = declared(AdapterRegistry.declarations());
        assertThat(declared).containsOnlyKeys("apps/deployments", "apps/daemonsets", "apps/statefulsets",
                "batch/cronjobs", "batch/jobs", "argoproj.io/rollouts");
        assertThat(declared).isEqualTo(table(declared.keySet()));
    }

    /** The table's row for --custom-workload-types is what a custom kind's adapter declares. */
    @Test
    void aCustomKindDeclaresTheCustomWorkloadTypesRow() throws IOException {
        WorkloadKind cloneSet = new WorkloadKind("CloneSet.apps.kruise.io", "apps.kruise.io", "v1alpha1", "CloneSet",
                "clonesets", "clonesets", "/spec/template",
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
        Map<String, Set<String>> declared = declared(List.of(new CustomWorkloadAdapter(cloneSet, null)));
        assertThat(declared).containsOnlyKeys("apps.kruise.io/clonesets");
        assertThat(new ArrayList<>(declared.values()))
                .containsExactly(table(Set.of("<customWorkloadTypes>/<customWorkloadTypes>")).values().iterator().next());
    }

    /** The built-ins come in Reloader's fixed processing order, the order the kinds are listed in. */
    @Test
    void theBuiltInsAreInReloadersOrder() {
        assertThat(AdapterRegistry.declarations()).extracting(WorkloadAdapter::kind)
                .containsExactlyElementsOf(WorkloadKind.values());
    }
}
