package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The evict strategy's pod selection: the whole selector, evaluated here, and ownership. */
class PodSelectionTest {

    private static HasMetadata deployment(String operator, List<String> values) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("ns")
                .withUid("d-uid").endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "shop")
                .endSelector().endSpec();
        if (operator != null) {
            b.editSpec().editSelector().withMatchExpressions(new LabelSelectorRequirementBuilder().withKey("tier")
                    .withOperator(operator).withValues(values).build()).endSelector().endSpec();
        }
        return b.build();
    }

    private static Pod pod(String ownerKind, String ownerUid) {
        return new PodBuilder().withNewMetadata().withName("p").addNewOwnerReference().withKind(ownerKind)
                .withUid(ownerUid).withController(true).endOwnerReference().endMetadata().build();
    }

    /** Labels as {@code k=v;k=v}; expected match for a selector app=shop plus the given expression. */
    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "In           | web,api | app=shop;tier=web | true",
            "In           | web,api | app=shop;tier=db  | false",
            "In           | web,api | app=shop          | false",
            "NotIn        | db      | app=shop;tier=web | true",
            "NotIn        | db      | app=shop          | true",
            "NotIn        | db      | app=shop;tier=db  | false",
            "Exists       |         | app=shop;tier=x   | true",
            "Exists       |         | app=shop          | false",
            "DoesNotExist |         | app=shop          | true",
            "DoesNotExist |         | app=shop;tier=x   | false",
            "In           | web     | app=other;tier=web| false",
    })
    void theWholeSelectorDecides(String operator, String values, String labels, boolean expected) {
        PodSelection s = PodSelection.of(deployment(operator, values == null ? List.of() : List.of(values.split(","))));
        assertThat(s.problem()).isNull();
        java.util.Map<String, String> l = new java.util.HashMap<>();
        for (String kv : labels.split(";")) {
            l.put(kv.split("=")[0], kv.split("=")[1]);
        }
        assertThat(s.matches(l)).isEqualTo(expected);
    }

    @Test
    void unusableSelectorsSelectNothingAndSayWhy() {
        assertThat(PodSelection.of(new DeploymentBuilder().withNewMetadata().withUid("u").endMetadata()
                .withNewSpec().endSpec().build()).problem()).isEqualTo("it has no spec.selector");
        assertThat(PodSelection.of(new DeploymentBuilder().withNewMetadata().withUid("u").endMetadata()
                .withNewSpec().withNewSelector().endSelector().endSpec().build()).problem())
                .startsWith("its selector is empty");
        assertThat(PodSelection.of(deployment("In", List.of())).problem()).contains("has no values");
        assertThat(PodSelection.of(deployment("Exists", List.of("x"))).problem()).contains("must not have values");
        assertThat(PodSelection.of(deployment("Near", List.of("x"))).problem()).contains("unsupported operator 'Near'");
        assertThat(PodSelection.of(new DeploymentBuilder((io.fabric8.kubernetes.api.model.apps.Deployment)
                deployment(null, null)).editMetadata().withUid(null).endMetadata().build()).problem())
                .contains("no uid");
    }

    @Test
    void aPodIsTheWorkloadsWhenItOrOneOfItsReplicaSetsIsThePodsController() {
        PodSelection s = PodSelection.of(deployment(null, null));
        assertThat(s.owns(pod("Deployment", "d-uid"), Set.of())).isTrue();
        assertThat(s.owns(pod("ReplicaSet", "rs-uid"), Set.of("rs-uid"))).isTrue();
        assertThat(s.owns(pod("ReplicaSet", "other-rs"), Set.of("rs-uid"))).isFalse();
        assertThat(s.owns(pod("StatefulSet", "other"), Set.of("rs-uid"))).isFalse();
        assertThat(s.owns(new PodBuilder().withNewMetadata().withName("orphan").endMetadata().build(), Set.of()))
                .isFalse();
        Pod notController = new PodBuilder().withNewMetadata().addNewOwnerReference().withKind("Deployment")
                .withUid("d-uid").withController(false).endOwnerReference().endMetadata().build();
        assertThat(s.owns(notController, Set.of())).as("only the controller reference counts").isFalse();
        assertThat(s.matchLabels()).isEqualTo(Map.of("app", "shop"));
    }
}
