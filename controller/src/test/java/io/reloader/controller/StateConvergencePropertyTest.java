package io.reloader.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.ReloadStrategyType;
import io.reloader.hash.SourceHasher;
import io.reloader.model.ReloadPlan;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.policy.KeyScope;
import io.reloader.policy.ReloadPolicy;
import io.reloader.spec.PodTemplates;
import io.reloader.spec.References;
import io.reloader.spec.WorkloadView;
import io.reloader.strategy.Markers;
import io.reloader.strategy.ReloadStrategy;
import io.reloader.watch.ChangeDetector;
import io.reloader.watch.IntakeListener;
import io.reloader.watch.NamespaceFilter;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import tools.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Level-triggered convergence, as a property of the decision layer: the real change detector, planner, key scope,
 * strategies and the queue's merge rule, with workloads kept in memory and the queue's timing replaced by random
 * steps. Random key updates to three ConfigMaps, random coalescing (a workload's pending batch merges whatever
 * arrives before it is delivered), random delivery order, deferrals (rollout pacing, reload windows: the workload's
 * later batches join the deferred one), stale replays of old changes, and rollout undos by the workload's owner.
 * Once everything is delivered, every workload carries exactly what its sources' current state implies, and no
 * workload was written twice for one settled state.
 */
class StateConvergencePropertyTest {
    private static final String NS = "shop";
    private static final String[] KEYS = {"a", "b", "c", "d"};
    private static final int SOURCES = 3;
    private static final SourceHasher HASHER = SourceHasher.reloaderCompatible();
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** One step of a run. */
    sealed interface Step permits Update, Deliver, Defer, Release, Replay, Undo {
    }

    /** A key of a source gets a value (or, for value 3, is removed). */
    record Update(int source, int key, int value) implements Step {
    }

    /** The workload's pending batch is handed to the planner (unless the workload is deferred). */
    record Deliver(int workload) implements Step {
    }

    /** The workload's batches are held back (pacing, a reload window) until released. */
    record Defer(int workload) implements Step {
    }

    record Release(int workload) implements Step {
    }

    /**
     * An old change of one of the workload's sources is offered again while a change of that source waits for the
     * workload (a retry, a resync): the queue merges it into the waiting one. The queue never hands back a change it
     * has already decided, so a replay with nothing waiting does nothing.
     */
    record Replay(int workload, int age) implements Step {
    }

    /** The workload's owner puts its template back to the one before our last write (rollout undo). */
    record Undo(int workload) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> w = Arbitraries.integers().between(0, WORKLOADS.size() - 1);
        Arbitrary<Step> update = Combinators.combine(Arbitraries.integers().between(0, SOURCES - 1),
                Arbitraries.integers().between(0, KEYS.length - 1), Arbitraries.integers().between(0, 3))
                .as(Update::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, update),
                net.jqwik.api.Tuple.of(5, w.map(Deliver::new)),
                net.jqwik.api.Tuple.of(1, w.map(Defer::new)),
                net.jqwik.api.Tuple.of(1, w.map(Release::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(w, Arbitraries.integers().between(0, 10)).as(Replay::new)),
                net.jqwik.api.Tuple.of(2, w.map(Undo::new))).list().ofMinSize(10).ofMaxSize(80);
    }

    @Provide
    Arbitrary<ReloadStrategyType> strategies() {
        return Arbitraries.of(ReloadStrategyType.ENV_VARS, ReloadStrategyType.ANNOTATIONS);
    }

    /*
     * Seed 1423451839882421990 once found a real loss (fixed: the record now follows a template an undo took back
     * when the source returns to it, see the examples); 3,000 random tries were run clean after the fix.
     */
    @Property(tries = 200)
    void onceDrainedEveryWorkloadCarriesWhatItsSourcesImplyAndNoStateIsWrittenTwice(
            @ForAll("steps") List<Step> steps, @ForAll("strategies") ReloadStrategyType strategy,
            @ForAll boolean referencedKeysOnly) {
        new Run(strategy, referencedKeysOnly).run(steps);
    }




    @org.junit.jupiter.api.Test
    void examples() {
        // a rollout undo, then a change of a key the workload does not read: nothing to write
        new Run(ReloadStrategyType.ENV_VARS, true).run(List.of(new Update(0, 0, 1), new Deliver(0), new Undo(0),
                new Update(0, 1, 1), new Deliver(0)));
        // key a, then key b, coalesced into one batch: the reader of a rolls, the reader of c does not
        new Run(ReloadStrategyType.ENV_VARS, true).run(List.of(new Update(0, 0, 1), new Update(0, 1, 1),
                new Deliver(0), new Deliver(1)));
        // undone to the template before our last write, then the source comes back to what that template carries:
        // the record follows the template (metadata only), so the source's next change to the undone state rolls
        for (ReloadStrategyType s : ReloadStrategyType.values()) {
            List<Step> undoThenBack = List.of(new Update(2, 0, 1), new Deliver(4), new Update(2, 0, 2),
                    new Deliver(4), new Undo(4), new Update(2, 0, 1), new Deliver(4));
            new Run(s, false).run(undoThenBack);
            List<Step> andOnAgain = new ArrayList<>(undoThenBack);
            andOnAgain.addAll(List.of(new Update(2, 0, 2), new Deliver(4)));
            new Run(s, false).run(andOnAgain);
        }
        // a deferred batch released after a newer one was written: the older change does not go back in time
        new Run(ReloadStrategyType.ANNOTATIONS, true).run(List.of(new Update(0, 0, 1), new Replay(0, 0),
                new Defer(2), new Update(0, 0, 2), new Deliver(2), new Release(2), new Update(0, 2, 1),
                new Deliver(2), new Replay(2, 3), new Deliver(2)));
    }

    private static PodSpec readsKeys(String... sourceAndKey) {
        PodSpecBuilder spec = new PodSpecBuilder();
        var c = spec.addNewContainer().withName("app").withImage("i");
        for (String sk : sourceAndKey) {
            String[] p = sk.split("/");
            c = c.addNewEnv().withName("V_" + p[0] + "_" + p[1]).withNewValueFrom().withNewConfigMapKeyRef()
                    .withName(p[0]).withKey(p[1]).endConfigMapKeyRef().endValueFrom().endEnv();
        }
        return c.endContainer().build();
    }

    private static PodSpec envFrom(String... sources) {
        var c = new PodSpecBuilder().addNewContainer().withName("app").withImage("i");
        for (String s : sources) {
            c = c.addNewEnvFrom().withNewConfigMapRef().withName(s).endConfigMapRef().endEnvFrom();
        }
        return c.endContainer().build();
    }

    private static PodSpec itemAndKey() {
        return new PodSpecBuilder(readsKeys("cm0/a")).editFirstContainer().addNewVolumeMount().withName("v")
                .withMountPath("/etc/v").endVolumeMount().endContainer().addNewVolume().withName("v")
                .withNewConfigMap().withName("cm2").addNewItem().withKey("d").withPath("d").endItem().endConfigMap()
                .endVolume().build();
    }

    /** The workloads: single keys, several keys of several sources, whole sources, a keys list. */
    private static final List<Deployment> WORKLOADS = List.of(
            deployment("reads-a", Map.of(), readsKeys("cm0/a")),
            deployment("reads-c", Map.of(), readsKeys("cm0/c")),
            deployment("whole", Map.of(), envFrom("cm0")),
            deployment("two-sources", Map.of(), readsKeys("cm0/b", "cm1/a")),
            deployment("listed", Map.of(AnnotationKeys.KEYS, "cm1/b, cm2/*"), envFrom("cm1", "cm2")),
            deployment("item-and-key", Map.of(), itemAndKey()));

    private static Deployment deployment(String name, Map<String, String> annotations, PodSpec spec) {
        Map<String, String> a = new LinkedHashMap<>(annotations);
        a.put("reloader.stakater.com/auto", "true");
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).withResourceVersion("1")
                .withAnnotations(a).endMetadata().withNewSpec().withNewTemplate().withNewMetadata()
                .addToLabels("app", name).endMetadata().withSpec(spec).endTemplate().endSpec().build();
    }

    private static SourceRef ref(int source) {
        return new SourceRef(SourceType.CONFIGMAP, NS, "cm" + source);
    }

    /** One run: the cluster in memory, the real decision code, and the queue's semantics as random steps. */
    private static final class Run {
        private final List<Map<String, String>> data = new ArrayList<>();
        private final List<SourceChange> emitted = new ArrayList<>();
        private final ChangeDetector detector;
        private final ReloadPlanner planner;
        private final KeyScope keyScope;
        private final List<HasMetadata> workloads = new ArrayList<>(WORKLOADS);
        /** The template before our last write, per workload (what a rollout undo goes back to). */
        private final Map<Integer, PodTemplateSpec> previousTemplates = new HashMap<>();
        private final List<LinkedHashMap<SourceRef, SourceChange>> pending = new ArrayList<>();
        private final List<LinkedHashMap<SourceRef, SourceChange>> deferred = new ArrayList<>();
        private final Map<Integer, Map<SourceRef, String>> lastWrittenState = new HashMap<>();
        /** The sources' state each workload started with (what it runs on while it carries no marker). */
        private final List<Map<SourceRef, String>> initial = new ArrayList<>();
        private long now = 1_000;

        Run(ReloadStrategyType strategy, boolean referencedKeysOnly) {
            detector = new ChangeDetector(AnnotationKeys.defaults(), NamespaceFilter.none(), false, false,
                    emitted::add, IntakeListener.none());
            keyScope = new KeyScope(referencedKeysOnly);
            planner = new ReloadPlanner(new ReloadPolicy(AnnotationKeys.defaults(), false),
                    ReloadStrategy.of(strategy), false, keyScope, detector::state);
            for (int s = 0; s < SOURCES; s++) {
                Map<String, String> d = new TreeMap<>(Map.of("a", "0", "b", "0", "c", "0"));
                data.add(d);
                SourceHasher.Digests digests = HASHER.digestsOfConfigMap(configMap(s));
                detector.added(SourceType.CONFIGMAP, configMap(s), digests.hash(), digests.keys(), false);
            }
            for (int w = 0; w < workloads.size(); w++) {
                pending.add(new LinkedHashMap<>());
                deferred.add(null);
                initial.add(expected(w));
            }
        }

        private ConfigMap configMap(int s) {
            return new ConfigMapBuilder().withNewMetadata().withName("cm" + s).withNamespace(NS).endMetadata()
                    .withData(new TreeMap<>(data.get(s))).build();
        }

        void run(List<Step> steps) {
            steps.forEach(this::step);
            for (int w = 0; w < workloads.size(); w++) {
                release(w);
            }
            for (int w = 0; w < workloads.size(); w++) {
                deliver(w);
            }
            for (int w = 0; w < workloads.size(); w++) {
                Map<SourceRef, String> carried = Markers.carried(workloads.get(w));
                Map<SourceRef, String> expected = expected(w);
                for (Map.Entry<SourceRef, String> e : expected.entrySet()) {
                    String has = carried.get(e.getKey());
                    if (has == null) {
                        assertThat(initial.get(w).get(e.getKey())).as("%s never written for %s although what it "
                                + "follows changed", name(w), e.getKey()).isEqualTo(e.getValue());
                    } else {
                        assertThat(has).as("%s carries for %s", name(w), e.getKey()).isEqualTo(e.getValue());
                    }
                }
            }
        }

        private void step(Step step) {
            now++;
            if (step instanceof Update u) {
                update(u);
            } else if (step instanceof Deliver d) {
                deliver(d.workload());
            } else if (step instanceof Defer d) {
                if (deferred.get(d.workload()) == null) {
                    deferred.set(d.workload(), new LinkedHashMap<>());
                }
            } else if (step instanceof Release r) {
                release(r.workload());
            } else if (step instanceof Replay r) {
                replay(r);
            } else if (step instanceof Undo u) {
                undo(u.workload());
            }
        }

        private void update(Update u) {
            Map<String, String> d = data.get(u.source());
            if (u.value() == 3) {
                d.remove(KEYS[u.key()]);
            } else {
                d.put(KEYS[u.key()], String.valueOf(u.value()));
            }
            int before = emitted.size();
            SourceHasher.Digests digests = HASHER.digestsOfConfigMap(configMap(u.source()));
            detector.updated(SourceType.CONFIGMAP, configMap(u.source()), digests.hash(), digests.keys());
            for (SourceChange change : emitted.subList(before, emitted.size())) {
                for (int w = 0; w < workloads.size(); w++) {
                    if (references(w, change.ref())) {
                        offer(pending.get(w), change, false);
                    }
                }
            }
        }

        /** The queue's rule: one item per source, the earlier one merged into the later one. */
        private static void offer(LinkedHashMap<SourceRef, SourceChange> batch, SourceChange item, boolean earlier) {
            SourceChange there = batch.remove(item.ref());
            batch.put(item.ref(), there == null ? item
                    : earlier ? SourceChange.merge(item, there) : SourceChange.merge(there, item));
        }

        private void deliver(int w) {
            if (pending.get(w).isEmpty()) {
                return;
            }
            List<SourceChange> batch = new ArrayList<>(pending.get(w).values());
            pending.get(w).clear();
            if (deferred.get(w) != null) {
                batch.forEach(c -> offer(deferred.get(w), c, false)); // deferred again, joining what waits
                return;
            }
            HasMetadata workload = workloads.get(w);
            ReloadPlan plan = planner.plan(workload, batch, now);
            if (plan.repairsRecord()) { // metadata only: the record follows what the template carries
                workloads.set(w, new DeploymentBuilder((Deployment) workload).editMetadata()
                        .addToAnnotations(AnnotationKeys.APPLIED_HASHES, plan.record()).endMetadata().build());
                lastWrittenState.remove(w); // the owner moved it off our last write: that state may come again
            }
            if (!plan.hasWrite()) {
                return;
            }
            Map<SourceRef, String> state = expected(w);
            for (SourceChange c : plan.applied()) {
                assertThat(c.hash()).as("%s written with the current state of %s", name(w), c.ref())
                        .isEqualTo(state.get(c.ref()));
            }
            assertThat(state).as("%s written twice for one settled state", name(w))
                    .isNotEqualTo(lastWrittenState.get(w));
            lastWrittenState.put(w, state);
            previousTemplates.put(w, PodTemplates.of(workload));
            workloads.set(w, apply(workload, plan.patch()));
        }

        /** The JSON Patch applied as the API server would (one serializer for the run: making one is slow). */
        private static HasMetadata apply(HasMetadata workload, List<Map<String, Object>> patch) {
            JsonNode patched = JsonPatch.apply(JSON.convertValue(patch, JsonNode.class),
                    JSON.convertValue(workload, JsonNode.class));
            return JSON.convertValue(patched, Deployment.class);
        }

        private void release(int w) {
            LinkedHashMap<SourceRef, SourceChange> waiting = deferred.get(w);
            deferred.set(w, null);
            if (waiting != null) {
                waiting.values().forEach(c -> offer(pending.get(w), c, true));
            }
        }

        private void replay(Replay r) {
            LinkedHashMap<SourceRef, SourceChange> waiting = pending.get(r.workload());
            List<SourceChange> ofWorkload = emitted.stream().filter(c -> waiting.containsKey(c.ref())).toList();
            if (!ofWorkload.isEmpty()) {
                offer(waiting, ofWorkload.get(Math.max(0, ofWorkload.size() - 1 - r.age())), false);
            }
        }

        private void undo(int w) {
            PodTemplateSpec older = previousTemplates.get(w);
            if (older != null) {
                Deployment d = new DeploymentBuilder((Deployment) workloads.get(w)).editSpec().withTemplate(older)
                        .endSpec().build();
                workloads.set(w, d);
            }
        }

        private boolean references(int w, SourceRef ref) {
            return References.of(PodTemplates.of(workloads.get(w)).getSpec()).stream()
                    .anyMatch(r -> r.type() == ref.type() && r.name().equals(ref.name()));
        }

        /** What the workload should carry for each source it references, from the sources' current state. */
        private Map<SourceRef, String> expected(int w) {
            Map<SourceRef, String> out = new TreeMap<>(java.util.Comparator.comparing(SourceRef::recordKey));
            WorkloadView view = WorkloadView.of(workloads.get(w));
            for (int s = 0; s < SOURCES; s++) {
                if (references(w, ref(s))) {
                    ChangeDetector.SourceState st = Objects.requireNonNull(detector.state(ref(s)));
                    out.put(ref(s), keyScope.expectedHash(view, ref(s), st.hash(), st.keys()));
                }
            }
            return out;
        }


        private String name(int w) {
            return workloads.get(w).getMetadata().getName();
        }
    }
}
