package io.reloader.explain;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.GoBool;
import io.reloader.config.GoStrings;
import io.reloader.config.TimingOptions;
import io.reloader.model.AnnotationProblem;
import io.reloader.model.ChangeType;
import io.reloader.model.Decision;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.policy.AnnotationLint;
import io.reloader.policy.KeyScope;
import io.reloader.policy.PatternList;
import io.reloader.policy.ReloadPolicy;
import io.reloader.policy.TimingAnnotations;
import io.reloader.policy.Verdict;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.References;
import io.reloader.spec.WorkloadView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Answers "what would reload if this changed?" for a set of objects, with the controller's own decision code
 * ({@link ReloadPolicy}, {@link AnnotationLint}), so what it says is what the controller does. Pure.
 */
public final class Explainer {
    private final AnnotationKeys keys;
    private final ReloadPolicy policy;
    private final AnnotationLint lint;

    private final TimingAnnotations timing;
    private final KeyScope keyScope;
    private final Instant now;
    private RolloutSummary rollouts;
    private boolean serviceAccounts;

    public Explainer(AnnotationKeys keys, boolean autoReloadAll) {
        this(keys, autoReloadAll, new TimingOptions(Duration.ZERO, Duration.ZERO, null), Instant.now());
    }

    /** @param now the time against which reload windows are told open or not */
    public Explainer(AnnotationKeys keys, boolean autoReloadAll, TimingOptions timing, Instant now) {
        this(keys, autoReloadAll, timing, now, false);
    }

    /** @param referencedKeysOnly {@code --referenced-keys-only}: show the keys each workload follows */
    public Explainer(AnnotationKeys keys, boolean autoReloadAll, TimingOptions timing, Instant now,
                     boolean referencedKeysOnly) {
        this(keys, autoReloadAll, timing, now, referencedKeysOnly, false);
    }

    /** @param honorWave {@code --honor-wave-annotations}: wave's opt-in counts as {@code auto} */
    public Explainer(AnnotationKeys keys, boolean autoReloadAll, TimingOptions timing, Instant now,
                     boolean referencedKeysOnly, boolean honorWave) {
        this.keyScope = new KeyScope(referencedKeysOnly);
        this.keys = keys;
        this.policy = new ReloadPolicy(keys, autoReloadAll, honorWave);
        this.lint = new AnnotationLint(keys);
        this.timing = new TimingAnnotations(timing);
        this.now = now;
    }

    /**
     * Also tell each workload's last reload and rollout state, by these status rules (the workload adapters'), with
     * this rollout wait timeout: for objects read from a cluster, whose status is real.
     */
    public Explainer withRollouts(java.util.function.Function<HasMetadata, io.reloader.model.RolloutStatus> rules,
                                  Duration rolloutWaitTimeout) {
        this.rollouts = new RolloutSummary(rules, rolloutWaitTimeout, now);
        return this;
    }

    /**
     * With {@code --reload-on-serviceaccount-change}: each workload's ServiceAccount is one of its sources
     * (ServiceAccounts among the objects are taken as given ones).
     */
    public Explainer withServiceAccounts(boolean enabled) {
        this.serviceAccounts = enabled;
        return this;
    }

    /** @param objects ConfigMaps, Secrets, ServiceAccounts and workloads; other kinds are ignored */
    public Explanation explain(List<HasMetadata> objects) {
        Map<SourceRef, HasMetadata> sources = new LinkedHashMap<>();
        List<WorkloadView> workloads = new ArrayList<>();
        Map<WorkloadView, HasMetadata> objectOf = new java.util.IdentityHashMap<>();
        for (HasMetadata o : objects) {
            String kind = o.getKind();
            if ("ConfigMap".equals(kind) || "Secret".equals(kind)) {
                SourceType type = "ConfigMap".equals(kind) ? SourceType.CONFIGMAP : SourceType.SECRET;
                sources.put(new SourceRef(type, o.getMetadata().getNamespace(), o.getMetadata().getName()), o);
            } else if ("ServiceAccount".equals(kind) && serviceAccounts) {
                sources.put(new SourceRef(SourceType.SERVICEACCOUNT, o.getMetadata().getNamespace(),
                        o.getMetadata().getName()), o);
            } else if (isWorkload(o)) {
                WorkloadView view = WorkloadView.of(o);
                workloads.add(view);
                objectOf.put(view, o);
            }
        }
        // Sources referenced but not among the objects still get an entry: they may live elsewhere.
        Set<SourceRef> all = new LinkedHashSet<>(sources.keySet());
        for (WorkloadView w : workloads) {
            References.of(w.podSpec()).stream().filter(r -> r.type() != SourceType.SECRETPROVIDERCLASS)
                    .forEach(r -> all.add(new SourceRef(r.type(), w.key().namespace(), r.name())));
            if (serviceAccounts) {
                all.add(new SourceRef(SourceType.SERVICEACCOUNT, w.key().namespace(),
                        References.serviceAccount(w.podSpec())));
            }
        }
        Map<SourceRef, List<Explanation.Edge>> bySource = new LinkedHashMap<>();
        Map<WorkloadView, List<Explanation.Edge>> byWorkload = new LinkedHashMap<>();
        workloads.forEach(w -> byWorkload.put(w, new ArrayList<>()));
        all.forEach(s -> bySource.put(s, new ArrayList<>()));
        for (SourceRef s : all) {
            HasMetadata obj = sources.get(s);
            Map<String, String> a = obj == null || s.type() == SourceType.SERVICEACCOUNT ? null
                    : obj.getMetadata().getAnnotations();
            SourceChange change = new SourceChange(s, ChangeType.UPDATED, "", keys.ignores(a), keys.matches(a));
            for (WorkloadView w : workloads) {
                if (!w.key().namespace().equals(s.namespace())) {
                    continue;
                }
                Verdict v = policy.decide(change, w);
                if (v.decision() instanceof Decision.Reload r) {
                    Explanation.Edge edge = new Explanation.Edge(ref(s), ref(w), r.rule().name().toLowerCase(Locale.ROOT)
                            .replace('_', '-'), ruleKey(r.rule(), s.type()), r.container(),
                            keyScope.followed(w, s).orElse(null));
                    bySource.get(s).add(edge);
                    byWorkload.get(w).add(edge);
                }
            }
        }
        List<Explanation.Problem> problems = new ArrayList<>();
        for (WorkloadView w : workloads) {
            for (AnnotationProblem p : lint.lint(w)) {
                boolean error = p.message().startsWith("invalid");
                problems.add(new Explanation.Problem(error ? Explanation.Severity.ERROR : Explanation.Severity.WARNING,
                        ref(w), p.key(), p.message()));
            }
            uselessAnnotations(w, sources.keySet(), problems);
        }
        List<Explanation.Source> sourceList = new ArrayList<>();
        bySource.forEach((s, edges) -> sourceList.add(new Explanation.Source(ref(s), sources.containsKey(s), edges)));
        List<Explanation.Workload> workloadList = new ArrayList<>();
        byWorkload.forEach((w, edges) -> workloadList.add(new Explanation.Workload(ref(w), edges,
                timing.window(w).map(win -> new Explanation.Window(win.toString(), win.isOpen(now),
                        win.nextOpen(win.isOpen(now) ? win.closesAfter(now).orElse(now) : now).toString()))
                        .orElse(null), rollouts == null ? null : rollouts.of(objectOf.get(w)))));
        return new Explanation(sourceList, workloadList, problems);
    }

    /** Annotations that are valid but can never do anything with these objects. */
    private void uselessAnnotations(WorkloadView w, Set<SourceRef> known, List<Explanation.Problem> problems) {
        Set<References.Ref> refs = References.of(w.podSpec());
        Map<String, String> meta = w.metadataAnnotations();
        boolean autoOn = GoBool.isTrue(meta.getOrDefault(keys.auto(), w.templateAnnotations().get(keys.auto())));
        if (autoOn && refs.isEmpty() && !serviceAccounts) {
            problems.add(warning(w, keys.auto(), "is true but the pod template references no ConfigMap or Secret, "
                    + "so auto reload can never trigger"));
        }
        for (SourceType t : List.of(SourceType.CONFIGMAP, SourceType.SECRET)) {
            String named = meta.containsKey(keys.reloadKey(t)) ? meta.get(keys.reloadKey(t))
                    : w.templateAnnotations().get(keys.reloadKey(t));
            if (named != null && !named.isBlank()) {
                for (String item : named.split(",", -1)) {
                    String pattern = GoStrings.trimSpace(item);
                    if (pattern.isEmpty() || !PatternList.parse(pattern).invalidItems().isEmpty()) {
                        continue;
                    }
                    PatternList one = PatternList.parse(pattern);
                    boolean matchesSomething = known.stream().anyMatch(s -> s.type() == t
                            && s.namespace().equals(w.key().namespace()) && one.matches(s.name()));
                    if (!matchesSomething) {
                        problems.add(warning(w, keys.reloadKey(t), "pattern \"" + pattern + "\" matches no "
                                + typeName(t) + " in namespace " + w.key().namespace() + " among the given objects"));
                    }
                }
            }
            String exclude = meta.get(keys.excludeKey(t));
            if (exclude != null) {
                for (String item : exclude.split(",", -1)) {
                    String name = GoStrings.trimSpace(item);
                    if (!name.isEmpty() && !refs.contains(new References.Ref(t, name))) {
                        problems.add(warning(w, keys.excludeKey(t), "excludes " + typeName(t) + " \"" + name
                                + "\", which the workload does not reference"));
                    }
                }
            }
        }
    }

    private String ruleKey(Decision.Rule rule, SourceType type) {
        return switch (rule) {
            case NAMED -> keys.reloadKey(type);
            case SEARCH -> keys.search();
            case AUTO -> keys.auto();
            case TYPED_AUTO -> keys.typedAutoKey(type);
            case AUTO_RELOAD_ALL -> "--auto-reload-all";
        };
    }

    private static Explanation.Problem warning(WorkloadView w, String key, String message) {
        return new Explanation.Problem(Explanation.Severity.WARNING, ref(w), key, message);
    }

    private static boolean isWorkload(HasMetadata o) {
        try {
            KindRegistry.of(o);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String typeName(SourceType t) {
        return switch (t) {
            case CONFIGMAP -> "ConfigMap";
            case SECRET -> "Secret";
            case SECRETPROVIDERCLASS -> "SecretProviderClass";
            case SERVICEACCOUNT -> "ServiceAccount";
        };
    }

    private static Explanation.Ref ref(SourceRef s) {
        return new Explanation.Ref(typeName(s.type()), s.namespace(), s.name());
    }

    private static Explanation.Ref ref(WorkloadView w) {
        return new Explanation.Ref(w.key().kind().kindName(), w.key().namespace(), w.key().name());
    }
}
