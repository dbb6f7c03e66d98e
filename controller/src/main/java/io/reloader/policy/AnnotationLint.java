package io.reloader.policy;

import io.reloader.config.AnnotationKeys;
import io.reloader.config.GoBool;
import io.reloader.model.AnnotationProblem;
import io.reloader.model.SourceType;
import io.reloader.spec.WorkloadView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds workload annotations that are invalid or silently do nothing (docs/compatibility.md#value-parsing, docs/compatibility.md#value-parsing). The outcome of the
 * decision is unchanged; these only feed diagnostics.
 */
public final class AnnotationLint {
    private static final List<SourceType> TYPES = List.of(SourceType.CONFIGMAP, SourceType.SECRET,
            SourceType.SECRETPROVIDERCLASS);

    private final AnnotationKeys keys;

    public AnnotationLint(AnnotationKeys keys) {
        this.keys = keys;
    }

    public List<AnnotationProblem> lint(WorkloadView workload) {
        List<AnnotationProblem> problems = new ArrayList<>();
        lintPlace(workload.metadataAnnotations(), problems);
        lintPlace(workload.templateAnnotations(), problems);
        Map<String, String> meta = workload.metadataAnnotations();
        Map<String, String> template = workload.templateAnnotations();
        hint(meta, keys.match(), problems, "has no effect on a workload: put \"" + keys.match()
                + ": true\" on the ConfigMap or Secret and \"" + keys.search() + ": true\" on the workload");
        hint(meta, keys.ignore(), problems, "has no effect on a workload: use \"" + keys.auto()
                + ": false\" or the exclude annotations");
        for (SourceType t : TYPES) {
            String key = keys.excludeKey(t);
            if (template.containsKey(key) && !meta.containsKey(key)) {
                problems.add(new AnnotationProblem(key, template.get(key),
                        "is only read from workload metadata, not from the pod template: move it to metadata.annotations"));
            }
        }
        problems.addAll(TimingAnnotations.lint(workload));
        problems.addAll(KeyScope.lint(workload));
        return problems;
    }

    private void lintPlace(Map<String, String> annotations, List<AnnotationProblem> problems) {
        List<String> boolKeys = new ArrayList<>(List.of(keys.auto()));
        TYPES.forEach(t -> boolKeys.add(keys.typedAutoKey(t)));
        for (String key : boolKeys) {
            String value = annotations.get(key);
            if (value != null && !value.isEmpty() && GoBool.parse(value).isEmpty()) {
                String hint = value.contains(",")
                        ? "; to follow sources by name use \"" + keys.configmapReload() + "\" or \""
                        + keys.secretReload() + "\"" : "";
                problems.add(new AnnotationProblem(key, value, "invalid boolean \"" + abbreviate(value)
                        + "\" (allowed: true, false, 1, 0, t, f, TRUE, FALSE, True, False): auto reload is off"
                        + " and the workload is opted out of --auto-reload-all" + hint));
            }
        }
        for (SourceType t : TYPES) {
            String key = keys.reloadKey(t);
            String value = annotations.get(key);
            if (value != null) {
                for (PatternList.InvalidItem item : PatternList.parse(value).invalidItems()) {
                    problems.add(new AnnotationProblem(key, value, "invalid regex \"" + item.item()
                            + "\" in reload annotation \"" + key + "\": " + item.error()));
                }
            }
        }
        String search = annotations.get(keys.search());
        if (search != null && !search.equals("true") && GoBool.isTrue(search)) {
            problems.add(new AnnotationProblem(keys.search(), search,
                    "only the exact value \"true\" enables search; \"" + search + "\" does not"));
        }
    }

    private static void hint(Map<String, String> meta, String key, List<AnnotationProblem> problems, String message) {
        if (meta.containsKey(key)) {
            problems.add(new AnnotationProblem(key, meta.get(key), message));
        }
    }

    /** Keeps user-supplied values short in logs and Events. */
    public static String abbreviate(String value) {
        return value.length() <= 120 ? value : value.substring(0, 117) + "...";
    }
}
