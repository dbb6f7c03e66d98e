package io.reloader.policy;

import io.reloader.config.AnnotationKeys;
import io.reloader.config.GoBool;
import io.reloader.config.GoStrings;
import io.reloader.model.AnnotationProblem;
import io.reloader.model.Decision;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceType;
import io.reloader.spec.WorkloadView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reloader's per-workload decision (docs/compatibility.md#decision-order), as a pure function of the change, the workload's annotations
 * and pod spec, and the options. Precedence: resource ignore &gt; exclude &gt; named &gt; search &gt; auto &gt;
 * auto-reload-all; then the container choice.
 */
public final class ReloadPolicy {
    private final AnnotationKeys keys;
    private final boolean autoReloadAll;
    private final boolean honorWave;

    public ReloadPolicy(AnnotationKeys keys, boolean autoReloadAll) {
        this(keys, autoReloadAll, false);
    }

    /** @param honorWave wave's update-on-config-change annotation counts as {@code auto} ({@link WaveAnnotations}) */
    public ReloadPolicy(AnnotationKeys keys, boolean autoReloadAll, boolean honorWave) {
        this.keys = keys;
        this.autoReloadAll = autoReloadAll;
        this.honorWave = honorWave;
    }

    public Verdict decide(SourceChange change, WorkloadView workload) {
        if (change.ignored()) {
            return skip(Decision.SkipReason.SOURCE_IGNORED, List.of());
        }
        SourceType type = change.ref().type();
        String name = change.ref().name();
        if (type == SourceType.SERVICEACCOUNT) {
            return decideServiceAccount(name, workload);
        }
        Map<String, String> lookup = lookupMap(workload, type);

        String exclude = workload.metadataAnnotations().get(keys.excludeKey(type));
        if (exclude != null && excludes(exclude, name)) {
            return skip(Decision.SkipReason.EXCLUDED, List.of());
        }

        List<AnnotationProblem> problems = new ArrayList<>();
        Optional<Decision.Rule> rule = Optional.empty();
        String reloadKey = keys.reloadKey(type);
        String named = lookup.getOrDefault(reloadKey, "");
        if (!named.isEmpty()) {
            PatternList patterns = PatternList.parse(named);
            for (PatternList.InvalidItem item : patterns.invalidItems()) {
                problems.add(new AnnotationProblem(reloadKey, named, "invalid regex \"" + item.item()
                        + "\" in reload annotation \"" + reloadKey + "\": " + item.error()));
            }
            if (patterns.matches(name)) {
                rule = Optional.of(Decision.Rule.NAMED);
            }
        }
        if (rule.isEmpty() && "true".equals(lookup.get(keys.search())) && change.matched()) {
            rule = Optional.of(Decision.Rule.SEARCH);
        }
        if (rule.isEmpty()) {
            String auto = lookup.getOrDefault(keys.auto(), "");
            String typedAuto = lookup.getOrDefault(keys.typedAutoKey(type), "");
            if (GoBool.isTrue(auto)) {
                rule = Optional.of(Decision.Rule.AUTO);
            } else if (GoBool.isTrue(typedAuto)) {
                rule = Optional.of(Decision.Rule.TYPED_AUTO);
            } else if (auto.isEmpty() && typedAuto.isEmpty() && honorWave && WaveAnnotations.meansAuto(workload)) {
                rule = Optional.of(Decision.Rule.AUTO);
            } else if (auto.isEmpty() && typedAuto.isEmpty() && autoReloadAll) {
                rule = Optional.of(Decision.Rule.AUTO_RELOAD_ALL);
            }
        }
        if (rule.isEmpty()) {
            return skip(Decision.SkipReason.NOT_ANNOTATED, problems);
        }
        Decision.Reload reload = new Decision.Reload(rule.get(), null);
        Optional<String> container = ContainerChooser.choose(workload.podSpec(), type, name, reload.mode());
        if (container.isEmpty()) {
            return skip(Decision.SkipReason.NO_CONTAINER, problems);
        }
        return new Verdict(new Decision.Reload(rule.get(), container.get()), problems);
    }

    /**
     * A ServiceAccount's identity changed (README, ServiceAccount identity): the workloads that run as it and reload
     * automatically roll, through their first container. There is no named, search, typed-auto or exclude
     * annotation for ServiceAccounts; {@code auto} (from metadata when metadata has it or {@code search}, else from
     * the template, as the fallback rule reads it), wave's opt-in and {@code --auto-reload-all} apply, and
     * {@code auto: "false"} opts out of the last two.
     */
    private Verdict decideServiceAccount(String name, WorkloadView workload) {
        if (!name.equals(io.reloader.spec.References.serviceAccount(workload.podSpec()))) {
            return skip(Decision.SkipReason.NO_CONTAINER, List.of()); // runs as another ServiceAccount
        }
        Map<String, String> meta = workload.metadataAnnotations();
        Map<String, String> lookup = meta.containsKey(keys.auto()) || meta.containsKey(keys.search()) ? meta
                : workload.templateAnnotations();
        String auto = lookup.getOrDefault(keys.auto(), "");
        Decision.Rule rule;
        if (GoBool.isTrue(auto)) {
            rule = Decision.Rule.AUTO;
        } else if (auto.isEmpty() && honorWave && WaveAnnotations.meansAuto(workload)) {
            rule = Decision.Rule.AUTO;
        } else if (auto.isEmpty() && autoReloadAll) {
            rule = Decision.Rule.AUTO_RELOAD_ALL;
        } else {
            return skip(Decision.SkipReason.NOT_ANNOTATED, List.of());
        }
        var containers = workload.podSpec().getContainers();
        if (containers == null || containers.isEmpty() || containers.get(0).getName() == null) {
            return skip(Decision.SkipReason.NO_CONTAINER, List.of());
        }
        return new Verdict(new Decision.Reload(rule, containers.get(0).getName()), List.of());
    }

    /**
     * The fallback rule (docs/compatibility.md#fallback-rule): if workload metadata contains any of T's four keys, all four come from
     * metadata; otherwise all four come from the pod template. Values are never mixed.
     */
    Map<String, String> lookupMap(WorkloadView workload, SourceType type) {
        Map<String, String> meta = workload.metadataAnnotations();
        boolean inMetadata = meta.containsKey(keys.reloadKey(type)) || meta.containsKey(keys.search())
                || meta.containsKey(keys.auto()) || meta.containsKey(keys.typedAutoKey(type));
        return inMetadata ? meta : workload.templateAnnotations();
    }

    static boolean excludes(String excludeList, String name) {
        for (String item : excludeList.split(",", -1)) {
            if (GoStrings.trimSpace(item).equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Verdict skip(Decision.SkipReason reason, List<AnnotationProblem> problems) {
        return new Verdict(new Decision.Skip(reason), problems);
    }
}
