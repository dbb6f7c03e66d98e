package io.reloader.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's RBAC against the table of API calls the code makes ({@code rbac/api-calls.yaml}, the same table as
 * docs/rbac.md), both ways: every call the controller makes under the values is granted where it is made, and
 * every rule the chart renders is used by such a call at that scope and with those resource names.
 */
class RbacTableTest {
    private static final String RELEASE_NS = "reloader";
    private static final String SA = "reloader-reloader";

    /** One values case: the values file and which {@code when} atoms it makes true. */
    record Case(String name, String values, Set<String> atoms, List<String> watched, String lease) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One (group, resource, verb) the code calls at a scope, with the object name it is limited to, if any. */
    record Call(String group, String resource, String verb, String scope, String resourceName) {
    }

    static Stream<Case> cases() {
        Set<String> global = Set.of("watchGlobally");
        return Stream.of(
                new Case("defaults", "{}", global, List.of(), null),
                new Case("watchGlobally: false", "reloader:\n  watchGlobally: false\n", Set.of(), List.of(RELEASE_NS), null),
                new Case("watchGlobally: false, namespaces", "reloader:\n  watchGlobally: false\n  namespaces: [a, b]\n",
                        Set.of(), List.of("a", "b", RELEASE_NS), null),
                new Case("ignoreSecrets", "reloader:\n  ignoreSecrets: true\n", plus(global, "ignoreSecrets"), List.of(), null),
                new Case("ignoreConfigMaps", "reloader:\n  ignoreConfigMaps: true\n", plus(global, "ignoreConfigMaps"),
                        List.of(), null),
                new Case("ignoreJobs", "reloader:\n  ignoreJobs: true\n", plus(global, "ignoreJobs"), List.of(), null),
                new Case("ignoreJobs, ignoreCronJobs, watchGlobally: false",
                        "reloader:\n  ignoreJobs: true\n  ignoreCronJobs: true\n  watchGlobally: false\n",
                        Set.of("ignoreJobs", "ignoreCronJobs"), List.of(RELEASE_NS), null),
                new Case("isArgoRollouts", "reloader:\n  isArgoRollouts: true\n", plus(global, "isArgoRollouts"), List.of(), null),
                new Case("enableHA", "reloader:\n  enableHA: true\n", plus(global, "ha"), List.of(), null),
                new Case("replicas: 2", "reloader:\n  deployment:\n    replicas: 2\n", plus(global, "ha"), List.of(), null),
                new Case("enableHA, watchGlobally: false, namespaces",
                        "reloader:\n  enableHA: true\n  watchGlobally: false\n  namespaces: [a]\n",
                        Set.of("ha"), List.of("a", RELEASE_NS), null),
                new Case("enableHA, leaderElection.id", "reloader:\n  enableHA: true\n  leaderElection:\n    id: custom-lock\n",
                        plus(global, "ha"), List.of(), "custom-lock"),
                new Case("enableCSIIntegration", "reloader:\n  enableCSIIntegration: true\n",
                        plus(global, "enableCSIIntegration"), List.of(), null),
                new Case("enableCSIIntegration, watchGlobally: false",
                        "reloader:\n  enableCSIIntegration: true\n  watchGlobally: false\n",
                        Set.of("enableCSIIntegration"), List.of(RELEASE_NS), null),
                new Case("reloadOnServiceAccountChange", "reloader:\n  reloadOnServiceAccountChange: true\n",
                        plus(global, "reloadOnServiceAccountChange"), List.of(), null),
                new Case("reloadOnServiceAccountChange, watchGlobally: false, namespaces",
                        "reloader:\n  reloadOnServiceAccountChange: true\n  watchGlobally: false\n  namespaces: [a]\n",
                        Set.of("reloadOnServiceAccountChange"), List.of("a", RELEASE_NS), null),
                new Case("rbac.evictPods", "reloader:\n  rbac:\n    evictPods: true\n", plus(global, "evictPods"), List.of(), null),
                new Case("namespaceSelector", "reloader:\n  namespaceSelector: team=a\n", plus(global, "namespaceSelector"),
                        List.of(), null),
                new Case("customWorkloadTypes", "reloader:\n  customWorkloadTypes:\n"
                        + "  - {apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, resource: clonesets}\n",
                        plus(global, "customWorkloadTypes"), List.of(), null));
    }

    private static Set<String> plus(Set<String> atoms, String atom) {
        Set<String> out = new LinkedHashSet<>(atoms);
        out.add(atom);
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> table() throws IOException {
        try (InputStream in = RbacTableTest.class.getResourceAsStream("/rbac/api-calls.yaml")) {
            Map<String, Object> doc = new KubernetesSerialization().unmarshal(in, Map.class);
            return (List<Map<String, Object>>) doc.get("calls");
        }
    }

    /** The calls the table says the code makes under the case's values (discovery needs no grant). */
    @SuppressWarnings("unchecked")
    static List<Call> calls(Case c) throws IOException {
        List<Call> out = new ArrayList<>();
        for (Map<String, Object> row : table()) {
            if (row.containsKey("nonResourceURL") || !holds((List<String>) row.get("when"), c.atoms())) {
                continue;
            }
            List<String> names = (List<String>) row.getOrDefault("resourceNames", List.of());
            String name = names.isEmpty() ? null : names.get(0);
            if ("stakater-reloader-lock".equals(name) && c.lease() != null) {
                name = c.lease();
            }
            String group = (String) row.get("group");
            String resource = (String) row.get("resource");
            if (group.equals("<customWorkloadTypes>")) {
                group = "apps.kruise.io";
                resource = "clonesets";
            }
            for (String verb : (List<String>) row.get("verbs")) {
                out.add(new Call(group, resource, verb, (String) row.get("scope"), name));
            }
        }
        return out;
    }

    /** Every clause holds; a clause is atoms joined by '|', each maybe prefixed with "not ". */
    static boolean holds(List<String> when, Set<String> atoms) {
        for (String clause : when) {
            boolean any = false;
            for (String atom : clause.split("\\|")) {
                String a = atom.trim();
                boolean negated = a.startsWith("not ");
                String name = negated ? a.substring(4).trim() : a;
                any |= negated != atoms.contains(name);
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** A rule as rendered, with where it applies: "cluster" or a namespace. */
    record Grant(String where, String role, PolicyRule rule) {
    }

    /** The rules bound to the controller's ServiceAccount, with where each applies. */
    static List<Grant> grants(List<HasMetadata> objects) {
        List<Grant> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRoleBinding b && boundToUs(b.getSubjects())) {
                ClusterRole role = find(objects, ClusterRole.class, null, b.getRoleRef());
                role.getRules().forEach(r -> out.add(new Grant("cluster", role.getMetadata().getName(), r)));
            } else if (o instanceof RoleBinding b && boundToUs(b.getSubjects())) {
                Role role = find(objects, Role.class, b.getMetadata().getNamespace(), b.getRoleRef());
                role.getRules().forEach(r -> out.add(new Grant(b.getMetadata().getNamespace(),
                        role.getMetadata().getName(), r)));
            }
        }
        return out;
    }

    private static boolean boundToUs(List<Subject> subjects) {
        return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && SA.equals(s.getName())
                && RELEASE_NS.equals(s.getNamespace()));
    }

    private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String namespace, RoleRef ref) {
        assertThat(ref.getKind()).isEqualTo(type.getSimpleName());
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> r.getMetadata().getName().equals(ref.getName()))
                .filter(r -> Objects.equals(namespace, r.getMetadata().getNamespace()))
                .findFirst().orElseThrow(() -> new AssertionError("binding to a missing role " + ref.getName()));
    }

    /** Where a call is made: "cluster", or the namespaces. */
    private static List<String> places(Call call, Case c) {
        return switch (call.scope()) {
            case "cluster" -> List.of("cluster");
            case "release" -> List.of(RELEASE_NS);
            case "watched" -> c.watched().isEmpty() ? List.of("cluster") : c.watched();
            default -> throw new AssertionError("unknown scope " + call.scope());
        };
    }

    private static boolean covers(PolicyRule r, Call call) {
        return r.getApiGroups().contains(call.group()) && r.getResources().contains(call.resource())
                && r.getVerbs().contains(call.verb())
                && (r.getResourceNames() == null || r.getResourceNames().isEmpty()
                || (call.resourceName() != null && r.getResourceNames().contains(call.resourceName())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCallTheCodeMakesIsGranted(Case c) throws IOException {
        List<Grant> grants = grants(ChartRender.template("reloader", RELEASE_NS, c.values()));
        List<String> missing = new ArrayList<>();
        for (Call call : calls(c)) {
            for (String place : places(call, c)) {
                if (grants.stream().noneMatch(g -> g.where().equals(place) && covers(g.rule(), call))) {
                    missing.add(call + " in " + place);
                }
            }
        }
        assertThat(missing).as("calls the chart does not grant").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyGrantIsUsedByACallAtThatScopeAndName(Case c) throws IOException {
        List<Call> calls = calls(c);
        List<String> unused = new ArrayList<>();
        for (Grant g : grants(ChartRender.template("reloader", RELEASE_NS, c.values()))) {
            PolicyRule r = g.rule();
            assertThat(r.getNonResourceURLs()).as("non-resource URLs").isNullOrEmpty();
            List<String> names = r.getResourceNames() == null ? List.of() : r.getResourceNames();
            for (String group : r.getApiGroups()) {
                for (String resource : r.getResources()) {
                    for (String verb : r.getVerbs()) {
                        List<String> wanted = names.isEmpty() ? java.util.Collections.singletonList(null) : names;
                        for (String name : wanted) {
                            boolean used = calls.stream().anyMatch(call -> call.group().equals(group)
                                    && call.resource().equals(resource) && call.verb().equals(verb)
                                    && Objects.equals(call.resourceName(), name) && places(call, c).contains(g.where()));
                            if (!used) {
                                unused.add(g.role() + " in " + g.where() + ": " + group + "/" + resource + " " + verb
                                        + (name == null ? "" : " [" + name + "]"));
                            }
                        }
                    }
                }
            }
        }
        assertThat(unused).as("grants no call of the code needs (or broader than its resourceNames)").isEmpty();
    }

    @Test
    void theLeaseIsNeverGrantedClusterWideNorUnnamedBeyondCreate() {
        List<Grant> grants = grants(ChartRender.template("reloader", RELEASE_NS, "reloader:\n  enableHA: true\n"));
        assertThat(grants).filteredOn(g -> g.rule().getResources().contains("leases"))
                .isNotEmpty()
                .allSatisfy(g -> {
                    assertThat(g.where()).isEqualTo(RELEASE_NS);
                    if (g.rule().getResourceNames() == null || g.rule().getResourceNames().isEmpty()) {
                        assertThat(g.rule().getVerbs()).containsExactly("create");
                    } else {
                        assertThat(g.rule().getResourceNames()).containsExactly("stakater-reloader-lock");
                    }
                });
        assertThat(grants).filteredOn(g -> g.rule().getResources().contains("configmaps")
                        && g.rule().getVerbs().stream().anyMatch(v -> v.equals("update") || v.equals("patch")))
                .singleElement().satisfies(g -> assertThat(g.rule().getResourceNames()).containsExactly("reloader-meta-info"));
    }

    /** A check that passes everything proves nothing: a broader or a missing rule must be caught. */
    @Test
    void theCheckFindsAnUnusedAndAMissingGrant() throws IOException {
        Case defaults = cases().findFirst().orElseThrow();
        List<Call> calls = calls(defaults);
        PolicyRule broad = new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder().withApiGroups("")
                .withResources("configmaps").withVerbs("update").build();
        assertThat(calls).noneMatch(call -> call.scope().equals("watched") && covers(broad, call));
        assertThat(calls).anyMatch(call -> call.resource().equals("events") && call.verb().equals("get"));
        assertThat(holds(List.of("not ignoreJobs | not ignoreCronJobs"), Set.of("ignoreJobs", "ignoreCronJobs"))).isFalse();
        assertThat(holds(List.of("not ignoreJobs | not ignoreCronJobs"), Set.of("ignoreJobs"))).isTrue();
    }

    @Test
    void theDeploymentRunsAsTheBoundServiceAccount() {
        Deployment d = (Deployment) ChartRender.only(ChartRender.template("reloader", RELEASE_NS, "{}"), "Deployment");
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(SA);
    }
}
