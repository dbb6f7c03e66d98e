package io.reloader.index;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.References;
import io.reloader.spec.WorkloadView;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** (namespace, ServiceAccount) → the workloads whose pod template runs as it; unset is default. */
class ServiceAccountIndexTest {
    private static SourceRef sa(String ns, String name) {
        return new SourceRef(SourceType.SERVICEACCOUNT, ns, name);
    }

    private static WorkloadView view(String ns, String name, PodSpec spec) {
        return new WorkloadView(new WorkloadKey(WorkloadKind.DEPLOYMENT, ns, name), Map.of(), Map.of(), spec);
    }

    private static PodSpec runningAs(String serviceAccount) {
        return new PodSpecBuilder().withServiceAccountName(serviceAccount).addNewContainer().withName("c")
                .withImage("i").endContainer().build();
    }

    @Test
    void theServiceAccountIsTheNamedOneElseTheDeprecatedFieldElseDefault() {
        assertThat(References.serviceAccount(runningAs("app"))).isEqualTo("app");
        assertThat(References.serviceAccount(runningAs(null))).isEqualTo("default");
        assertThat(References.serviceAccount(runningAs(""))).isEqualTo("default");
        assertThat(References.serviceAccount(new PodSpecBuilder().withServiceAccount("old").build())).isEqualTo("old");
        assertThat(References.serviceAccount(null)).isEqualTo("default");
        // It is not a reference: the ConfigMap/Secret references of a pod spec stay as they were.
        assertThat(References.of(runningAs("app"))).isEmpty();
    }

    @Test
    void workloadsAreFoundByTheirNamespaceAndServiceAccount() {
        ReferenceIndex index = new ReferenceIndex(AnnotationKeys.defaults(), true);
        index.upsert(view("ns", "web", runningAs("app")));
        index.upsert(view("ns", "api", runningAs("app")));
        index.upsert(view("ns", "plain", runningAs(null)));
        index.upsert(view("other", "web", runningAs("app")));

        assertThat(index.candidates(sa("ns", "app"))).extracting(WorkloadKey::name).containsExactlyInAnyOrder("web", "api");
        assertThat(index.candidates(sa("ns", "default"))).extracting(WorkloadKey::name).containsExactly("plain");
        assertThat(index.candidates(sa("other", "app"))).extracting(WorkloadKey::namespace).containsExactly("other");
        assertThat(index.candidates(sa("ns", "nobody"))).isEmpty();
    }

    @Test
    void aChangedServiceAccountNameMovesTheWorkloadAndARemoveLeavesNothing() {
        ReferenceIndex index = new ReferenceIndex(AnnotationKeys.defaults(), true);
        index.upsert(view("ns", "web", runningAs("app")));
        index.upsert(view("ns", "web", runningAs("app-v2")));
        assertThat(index.candidates(sa("ns", "app"))).isEmpty();
        assertThat(index.candidates(sa("ns", "app-v2"))).extracting(WorkloadKey::name).containsExactly("web");
        index.remove(new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "web"));
        assertThat(index.lookupKeys()).isZero();
    }

    @Test
    void withoutTheFlagServiceAccountsAreNotIndexed() {
        ReferenceIndex index = new ReferenceIndex(AnnotationKeys.defaults());
        index.upsert(view("ns", "web", runningAs("app")));
        index.upsert(view("ns", "plain", runningAs(null)));
        assertThat(index.candidates(sa("ns", "app"))).isEmpty();
        assertThat(index.candidates(sa("ns", "default"))).isEmpty();
        assertThat(index.lookupKeys()).isZero();
    }
}
