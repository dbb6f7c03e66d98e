package io.reloader.controller;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.ReloadStrategyType;
import io.reloader.hash.SourceHasher;
import io.reloader.model.ChangeType;
import io.reloader.model.Decision;
import io.reloader.model.ReloadPlan;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.policy.KeyScope;
import io.reloader.policy.ReloadPolicy;
import io.reloader.strategy.ReloadStrategy;
import io.reloader.strategy.ReloadedFromMarker;
import io.reloader.watch.ChangeDetector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner's decision, table-driven: what the workload carries (variable or marker, and our record) against
 * what the source's current state implies; never which keys the last event changed.
 */
class ReloadPlannerStateTest {
    private static final SourceRef CFG = new SourceRef(SourceType.CONFIGMAP, "shop", "cfg");
    private static final String VAR = "STAKATER_CFG_CONFIGMAP";
    private static final SourceHasher HASHER = SourceHasher.reloaderCompatible();

    private static final Map<String, String> S0 = Map.of("a", "1", "b", "1");
    private static final Map<String, String> B_CHANGED = Map.of("a", "1", "b", "2");
    private static final Map<String, String> A_CHANGED = Map.of("a", "2", "b", "2");

    enum Outcome { WRITE, UP_TO_DATE, UNCHANGED }

    /**
     * @param keysOnly   --referenced-keys-only
     * @param envValue   the workload's variable (null: none)
     * @param marker     the hash in the workload's last-reloaded-from marker (null: none)
     * @param recorded   our applied-hashes record for the source (null: none)
     * @param before     the source's data before the burst (null: not known)
     * @param event      the data the (last) event saw
     * @param now        the data the source holds now
     */
    record Case(String name, ReloadStrategyType strategy, boolean keysOnly, String envValue, String marker,
                String recorded, Map<String, String> before, Map<String, String> event, Map<String, String> now,
                ChangeType type, Outcome outcome, String written) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String whole(Map<String, String> data) {
        return HASHER.ofConfigMap(new ConfigMapBuilder().withData(data).build());
    }

    /** The marker of a workload that reads key a only. */
    private static String keysOfA(Map<String, String> data) {
        return SourceHasher.keyScoped(HASHER.keysOfConfigMap(new ConfigMapBuilder().withData(data).build()),
                List.of("a"));
    }

    private static final ReloadStrategyType ENV = ReloadStrategyType.ENV_VARS;
    private static final ReloadStrategyType ANN = ReloadStrategyType.ANNOTATIONS;
    private static final ChangeType UPD = ChangeType.UPDATED;

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no marker, a then b coalesced: a differs from the state before the burst", ENV, true,
                        null, null, null, S0, A_CHANGED, A_CHANGED, UPD, Outcome.WRITE, keysOfA(A_CHANGED)),
                new Case("no marker, only b changed: nothing it reads differs", ENV, true,
                        null, null, null, S0, B_CHANGED, B_CHANGED, UPD, Outcome.UNCHANGED, null),
                new Case("no marker, state before not known: written", ENV, true,
                        null, null, null, null, B_CHANGED, B_CHANGED, UPD, Outcome.WRITE, keysOfA(B_CHANGED)),
                new Case("no marker, whole source back to where the burst began", ENV, false,
                        null, null, null, S0, S0, S0, UPD, Outcome.UNCHANGED, null),
                new Case("carries the keys-marker of the current state: b's change is nothing to it", ENV, true,
                        keysOfA(S0), null, keysOfA(S0), S0, B_CHANGED, B_CHANGED, UPD, Outcome.UP_TO_DATE, null),
                new Case("carries an older keys-marker: written, whatever the event's keys", ENV, true,
                        keysOfA(S0), null, keysOfA(S0), B_CHANGED, B_CHANGED, A_CHANGED, UPD, Outcome.WRITE,
                        keysOfA(A_CHANGED)),
                new Case("rollout undo: the variable is old, the record current: not fought", ENV, false,
                        whole(S0), null, whole(B_CHANGED), S0, B_CHANGED, B_CHANGED, UPD, Outcome.UP_TO_DATE, null),
                new Case("GitOps removed the variable, the record is current: not fought", ENV, false,
                        null, null, whole(B_CHANGED), S0, B_CHANGED, B_CHANGED, UPD, Outcome.UP_TO_DATE, null),
                new Case("rollout undo, then the source changes: written", ENV, false,
                        whole(S0), null, whole(B_CHANGED), B_CHANGED, A_CHANGED, A_CHANGED, UPD, Outcome.WRITE,
                        whole(A_CHANGED)),
                new Case("annotations: an undone marker with a current record is not fought", ANN, false,
                        null, whole(S0), whole(B_CHANGED), S0, B_CHANGED, B_CHANGED, UPD, Outcome.UP_TO_DATE, null),
                new Case("annotations, keys: an undone marker with a current record is not fought", ANN, true,
                        null, keysOfA(S0), keysOfA(A_CHANGED), S0, A_CHANGED, A_CHANGED, UPD, Outcome.UP_TO_DATE,
                        null),
                new Case("a stale replay is decided on the state now: already carried", ENV, false,
                        whole(A_CHANGED), null, whole(A_CHANGED), S0, B_CHANGED, A_CHANGED, UPD, Outcome.UP_TO_DATE,
                        null),
                new Case("a stale replay writes the state now, never the replayed one", ENV, false,
                        whole(S0), null, whole(S0), S0, B_CHANGED, A_CHANGED, UPD, Outcome.WRITE, whole(A_CHANGED)),
                new Case("a delete of a source that exists again is decided on its state", ENV, false,
                        whole(S0), null, whole(S0), null, S0, A_CHANGED, ChangeType.DELETED, Outcome.WRITE,
                        whole(A_CHANGED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesFromState(Case c) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop")
                .withResourceVersion("3").addToAnnotations("reloader.stakater.com/auto", "true").endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("i").addNewEnv().withName("A")
                .withNewValueFrom().withNewConfigMapKeyRef().withName("cfg").withKey("a").endConfigMapKeyRef()
                .endValueFrom().endEnv().endContainer().endSpec().endTemplate().endSpec();
        if (c.envValue() != null) {
            b.editSpec().editTemplate().editSpec().editFirstContainer().addNewEnv().withName(VAR)
                    .withValue(c.envValue()).endEnv().endContainer().endSpec().endTemplate().endSpec();
        }
        if (c.marker() != null) {
            b.editSpec().editTemplate().editMetadata().addToAnnotations(AnnotationKeys.LAST_RELOADED_FROM,
                    new ReloadedFromMarker(SourceType.CONFIGMAP, "cfg", "shop", c.marker(), List.of("app"), 1L)
                            .toJson()).endMetadata().endTemplate().endSpec();
        }
        if (c.recorded() != null) {
            b.editMetadata().addToAnnotations(AnnotationKeys.APPLIED_HASHES,
                    "{\"CONFIGMAP/cfg\":\"" + c.recorded() + "\"}").endMetadata();
        }
        Deployment workload = b.build();
        SourceHasher.Digests nowDigests = HASHER.digestsOfConfigMap(new ConfigMapBuilder().withData(c.now()).build());
        ChangeDetector.SourceState state = new ChangeDetector.SourceState(nowDigests.hash(), false, false,
                nowDigests.keys());
        ReloadPlanner planner = new ReloadPlanner(new ReloadPolicy(AnnotationKeys.defaults(), false),
                ReloadStrategy.of(c.strategy()), false, new KeyScope(c.keysOnly()), ref -> ref.equals(CFG) ? state : null);
        SourceHasher.Digests event = HASHER.digestsOfConfigMap(new ConfigMapBuilder().withData(c.event()).build());
        SourceChange.Prior before = null;
        if (c.before() != null) {
            SourceHasher.Digests d = HASHER.digestsOfConfigMap(new ConfigMapBuilder().withData(c.before()).build());
            before = new SourceChange.Prior(d.hash(), d.keys());
        }
        // The event says only b changed: that must not decide.
        SourceChange change = new SourceChange(CFG, c.type(), event.hash(), false, false, event.keys(),
                java.util.Set.of("b"), before);

        ReloadPlan plan = planner.plan(workload, List.of(change), 1000);

        switch (c.outcome()) {
            case WRITE -> {
                assertThat(plan.applied()).extracting(SourceChange::hash).containsExactly(c.written());
                assertThat(plan.record()).contains(c.written());
            }
            case UP_TO_DATE -> {
                assertThat(plan.hasWrite()).isFalse();
                assertThat(plan.upToDate()).hasSize(1);
            }
            case UNCHANGED -> {
                assertThat(plan.hasWrite()).isFalse();
                assertThat(plan.skipped()).containsValue(Decision.SkipReason.KEYS_UNCHANGED);
            }
        }
    }
}
