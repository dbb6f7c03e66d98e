package io.reloader.controller;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.ReloadStrategyType;
import io.reloader.model.AnnotationProblem;
import io.reloader.model.ChangeType;
import io.reloader.model.Decision;
import io.reloader.model.ReloadPlan;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.KeyScope;
import io.reloader.policy.ReloadPolicy;
import io.reloader.policy.Verdict;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.PodTemplates;
import io.reloader.spec.WorkloadView;
import io.reloader.strategy.AppliedHashes;
import io.reloader.strategy.Markers;
import io.reloader.strategy.ReloadStrategy;
import io.reloader.strategy.TemplatePatch;
import io.reloader.watch.ChangeDetector;
import io.reloader.workload.PodEvictor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Decides every pending change for one workload and builds the single patch that applies them all (docs/compatibility.md#one-rollout-per-burst):
 * pure, so the same workload state and changes always give the same plan.
 */
public final class ReloadPlanner {
    /** A variable Reloader or the env-vars strategy wrote: its mangled name and a SHA-1 (or keyed SHA-256) hash. */
    private static final Pattern STALE_NAME = Pattern.compile("STAKATER_[A-Z0-9_]+_(CONFIGMAP|SECRET|SECRETPROVIDERCLASS|SERVICEACCOUNT)");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private final ReloadPolicy policy;
    private final ReloadStrategy strategy;
    private final boolean removeStaleEnvVars;
    private final KeyScope keyScope;
    private final Function<SourceRef, ChangeDetector.SourceState> sources;

    public ReloadPlanner(ReloadPolicy policy, ReloadStrategy strategy) {
        this(policy, strategy, false, new KeyScope(false));
    }

    /**
     * @param removeStaleEnvVars remove the {@code STAKATER_*} variables of earlier env-vars reloads in every write
     *                           (after a switch to the annotations strategy), never in a write of their own
     */
    public ReloadPlanner(ReloadPolicy policy, ReloadStrategy strategy, boolean removeStaleEnvVars) {
        this(policy, strategy, removeStaleEnvVars, new KeyScope(false));
    }

    /** @param keyScope key-level precision: which keys of a source each workload follows */
    public ReloadPlanner(ReloadPolicy policy, ReloadStrategy strategy, boolean removeStaleEnvVars, KeyScope keyScope) {
        this(policy, strategy, removeStaleEnvVars, keyScope, ref -> null);
    }

    /**
     * @param sources the current state of a source, or null when not known (a SecretProviderClass, a deleted
     *                source): a change is decided on what its source holds when it is decided, not when it was seen
     */
    public ReloadPlanner(ReloadPolicy policy, ReloadStrategy strategy, boolean removeStaleEnvVars, KeyScope keyScope,
                         Function<SourceRef, ChangeDetector.SourceState> sources) {
        this.sources = sources;
        this.keyScope = keyScope;
        this.policy = policy;
        this.strategy = strategy;
        this.removeStaleEnvVars = removeStaleEnvVars;
    }

    public ReloadPlan plan(HasMetadata workload, List<SourceChange> changes, long nowSeconds) {
        WorkloadKind kind = KindRegistry.of(workload);
        WorkloadView view = WorkloadView.of(workload);
        PodTemplateSpec template = PodTemplates.of(workload);
        List<SourceChange> applied = new ArrayList<>();
        List<SourceChange> upToDate = new ArrayList<>();
        Map<SourceChange, Decision.SkipReason> skipped = new LinkedHashMap<>();
        List<AnnotationProblem> problems = new ArrayList<>();
        Map<SourceRef, String> containers = new LinkedHashMap<>();
        if (template == null || template.getSpec() == null) {
            changes.forEach(c -> skipped.put(c, Decision.SkipReason.NO_CONTAINER));
            return new ReloadPlan(List.of(), applied, upToDate, skipped, problems, containers, null);
        }
        TemplatePatch patch = new TemplatePatch(workload, template, kind.templatePath());
        AppliedHashes record = AppliedHashes.parse(
                patch.metadataAnnotation(AnnotationKeys.APPLIED_HASHES).orElse(null));
        // What the workload carries now, per source; decided against what the sources' current state implies.
        Map<SourceRef, String> carried = Markers.carried(workload);
        String recordBefore = record.toJson();
        List<SourceChange> unchanged = new ArrayList<>();
        for (SourceChange received : changes) {
            SourceChange change = current(received);
            Verdict verdict = policy.decide(change, view);
            problems.addAll(verdict.invalidPatterns());
            if (verdict.decision() instanceof Decision.Skip skip) {
                skipped.put(change, skip.reason());
                continue;
            }
            Decision.Reload reload = (Decision.Reload) verdict.decision();
            SourceChange scoped = keyScope.scope(change, view); // the hash it should carry: whole, or its keys'
            switch (compare(scoped, record, carried, view)) {
                case APPLIED -> upToDate.add(scoped);
                case UNCHANGED -> {
                    skipped.put(scoped, Decision.SkipReason.KEYS_UNCHANGED);
                    unchanged.add(scoped);
                }
                case DIFFERS -> {
                    if (strategyFor(workload).apply(patch, record, scoped, reload.container(), nowSeconds)) {
                        applied.add(scoped);
                        containers.put(scoped.ref(), reload.container());
                    } else {
                        upToDate.add(scoped);
                    }
                }
            }
        }
        if (applied.isEmpty()) {
            String repaired = record.toJson();
            return new ReloadPlan(List.of(), applied, upToDate, skipped, problems, containers,
                    repaired.equals(recordBefore) ? null : repaired);
        }
        // The rollout restarts the pods on every source's current data, so what they follow of the sources that
        // did not need a reload is applied too: a later replay of an older change of theirs is then up to date.
        unchanged.forEach(c -> record.put(c.ref(), c.hash()));
        if (removeStaleEnvVars) {
            removeStaleEnvVars(template, patch);
        }
        patch.removeMetadataAnnotation(AnnotationKeys.HELD_RELOADS); // a held reload is done once written
        String recordJson = record.toJson();
        patch.setMetadataAnnotation(AnnotationKeys.APPLIED_HASHES, recordJson);
        return new ReloadPlan(patch.jsonPatch(), applied, upToDate, skipped, problems, containers, recordJson);
    }

    private enum Comparison { APPLIED, UNCHANGED, DIFFERS }

    /**
     * What the workload carries for the source against what it should carry ({@code scoped.hash()}). Our record
     * holding that hash means it was applied: a template that says otherwise was changed by its owner (a rollout
     * undo, a GitOps sync), which is reported as a revert and never fought. A workload with no marker for the
     * source runs on the state before the change: it differs only if what it follows differs from that. Anything
     * else the strategy compares with the template (the variable's value, Reloader's marker).
     */
    private Comparison compare(SourceChange scoped, AppliedHashes record, Map<SourceRef, String> carried,
                               WorkloadView view) {
        if (scoped.type() == ChangeType.DELETED) {
            return Comparison.DIFFERS; // the strategy knows what a deleted source leaves behind
        }
        if (record.get(scoped.ref()).filter(scoped.hash()::equals).isPresent()) {
            return Comparison.APPLIED;
        }
        if (!carried.containsKey(scoped.ref()) && keyScope.unchangedSince(scoped, view)) {
            return Comparison.UNCHANGED;
        }
        return Comparison.DIFFERS;
    }

    /** The change with its source's state as it is now, when known. */
    private SourceChange current(SourceChange change) {
        ChangeDetector.SourceState now = sources.apply(change.ref());
        return now == null ? change : change.withCurrentState(now.hash(), now.keys(), now.ignored(), now.matched());
    }

    /**
     * Restarted by eviction, a workload's template is never written: only the applied-hashes record tells what it
     * was restarted for, which is how the annotations strategy judges "already applied".
     */
    private ReloadStrategy strategyFor(HasMetadata workload) {
        return PodEvictor.wanted(workload) ? RECORD_ONLY : strategy;
    }

    private static final ReloadStrategy RECORD_ONLY = ReloadStrategy.of(ReloadStrategyType.ANNOTATIONS);

    private static void removeStaleEnvVars(PodTemplateSpec template, TemplatePatch patch) {
        for (Container c : template.getSpec().getContainers() == null ? List.<Container>of()
                : template.getSpec().getContainers()) {
            for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                if (e.getName() != null && e.getValue() != null && e.getValueFrom() == null
                        && STALE_NAME.matcher(e.getName()).matches() && HASH.matcher(e.getValue()).matches()) {
                    patch.removeEnv(c.getName(), e.getName());
                }
            }
        }
    }

    /** True when {@code other} already carries every change of the plan (see {@link ReloadStrategy#carries}). */
    public boolean carries(HasMetadata other, ReloadPlan plan, long nowSeconds) {
        return strategy.carries(other, plan, nowSeconds);
    }
}
