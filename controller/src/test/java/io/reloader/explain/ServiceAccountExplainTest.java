package io.reloader.explain;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.config.AnnotationKeys;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** explain with --reload-on-serviceaccount-change: the ServiceAccount a workload runs as is one of its sources. */
class ServiceAccountExplainTest {
    private static HasMetadata deployment(String name, Map<String, String> annotations, String serviceAccount) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("ns").withAnnotations(annotations)
                .endMetadata().withNewSpec().withNewTemplate().withNewSpec().withServiceAccountName(serviceAccount)
                .addNewContainer().withName("app").endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static final List<HasMetadata> OBJECTS = List.of(
            new ServiceAccountBuilder().withNewMetadata().withName("app").withNamespace("ns").endMetadata().build(),
            deployment("web", Map.of("reloader.stakater.com/auto", "true"), "app"),
            deployment("plain", Map.of("reloader.stakater.com/auto", "true"), null),
            deployment("manual", Map.of(), "app"));

    private static Explainer explainer() {
        return new Explainer(AnnotationKeys.defaults(), false);
    }

    @Test
    void listsTheServiceAccountAsASourceOfTheAutoWorkloadsRunningAsIt() {
        Explanation e = explainer().withServiceAccounts(true).explain(OBJECTS);
        assertThat(e.sources()).filteredOn(s -> s.ref().kind().equals("ServiceAccount"))
                .extracting(s -> s.ref().name() + ":" + s.present())
                .containsExactlyInAnyOrder("app:true", "default:false");
        assertThat(e.workloads()).filteredOn(w -> w.ref().name().equals("web")).singleElement()
                .satisfies(w -> assertThat(w.follows()).singleElement().satisfies(edge -> {
                    assertThat(edge.source()).isEqualTo(new Explanation.Ref("ServiceAccount", "ns", "app"));
                    assertThat(edge.rule()).isEqualTo("auto");
                    assertThat(edge.container()).isEqualTo("app");
                }));
        assertThat(e.workloads()).filteredOn(w -> w.ref().name().equals("plain")).singleElement()
                .satisfies(w -> assertThat(w.follows()).extracting(x -> x.source().name()).containsExactly("default"));
        assertThat(e.workloads()).filteredOn(w -> w.ref().name().equals("manual")).singleElement()
                .satisfies(w -> assertThat(w.follows()).isEmpty());
        // auto with no ConfigMap or Secret is not useless when the ServiceAccount is followed
        assertThat(e.problems()).isEmpty();
    }

    @Test
    void withoutTheFlagServiceAccountsAreNotSources() {
        Explanation e = explainer().explain(OBJECTS);
        assertThat(e.sources()).isEmpty();
        assertThat(e.workloads()).allSatisfy(w -> assertThat(w.follows()).isEmpty());
    }
}
