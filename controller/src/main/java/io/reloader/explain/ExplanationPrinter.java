package io.reloader.explain;

import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints an {@link Explanation} as text for people or as JSON ({@code -o json}) for tools. */
public final class ExplanationPrinter {
    private ExplanationPrinter() {
    }

    public static void text(Explanation e, PrintStream out) {
        out.println("Sources");
        for (Explanation.Source s : e.sources()) {
            out.println("  " + s.ref() + (s.present() ? "" : "  (referenced; not among the given objects)"));
            if (s.reloads().isEmpty()) {
                out.println("    no workload reloads when it changes");
            }
            for (Explanation.Edge edge : s.reloads()) {
                out.println("    -> " + edge.workload() + "  (" + edge.rule() + ": " + edge.key() + ", container "
                        + edge.container() + (edge.keys() == null ? "" : ", keys " + String.join(", ", edge.keys()))
                        + ")");
            }
        }
        out.println();
        out.println("Workloads");
        for (Explanation.Workload w : e.workloads()) {
            out.println("  " + w.ref());
            if (w.follows().isEmpty()) {
                out.println("    follows no source");
            }
            for (Explanation.Edge edge : w.follows()) {
                out.println("    <- " + edge.source().kind() + " " + edge.source().name() + "  (" + edge.rule()
                        + (edge.keys() == null ? "" : "; keys " + String.join(", ", edge.keys())) + ")");
            }
            if (w.window() != null) {
                out.println("    reload window '" + w.window().windows() + "': " + (w.window().openNow()
                        ? "open now; opens next at " : "closed; a change is held until ") + w.window().nextOpen());
            }
            if (w.rollout() != null) {
                Explanation.Rollout r = w.rollout();
                out.println("    last reload: " + (r.lastReload() == null ? "none recorded" : r.lastReload()));
                out.println("    rollout: " + r.state() + (r.state().equals("Current") ? "" : " (" + r.reason() + ": "
                        + r.message() + ")") + (r.desired() < 0 || r.updated() < 0 ? ""
                        : "; " + r.updated() + "/" + r.desired() + " pods run the current template"));
            }
        }
        if (!e.flapping().isEmpty()) {
            out.println();
            out.println("Flapping sources (held: their changes roll nothing until they settle)");
            for (Explanation.Flapping f : e.flapping()) {
                out.println("  " + f.source() + "  since " + f.since());
                out.println("    " + f.message());
            }
        }
        if (!e.problems().isEmpty()) {
            out.println();
            out.println("Problems");
            for (Explanation.Problem p : e.problems()) {
                out.printf("  %-8s %s  %s: %s%n", p.severity().name().toLowerCase(Locale.ROOT), p.workload(), p.key(),
                        p.message());
            }
        }
        long errors = e.problems().stream().filter(p -> p.severity() == Explanation.Severity.ERROR).count();
        out.printf("%n%d sources, %d workloads, %d errors, %d warnings%n", e.sources().size(), e.workloads().size(),
                errors, e.problems().size() - errors);
    }

    public static void json(Explanation e, PrintStream out) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> sources = new ArrayList<>();
        for (Explanation.Source s : e.sources()) {
            Map<String, Object> m = ref(s.ref());
            m.put("present", s.present());
            m.put("reloads", s.reloads().stream().map(edge -> edge(edge.workload(), edge)).toList());
            sources.add(m);
        }
        List<Object> workloads = new ArrayList<>();
        for (Explanation.Workload w : e.workloads()) {
            Map<String, Object> m = ref(w.ref());
            m.put("follows", w.follows().stream().map(edge -> edge(edge.source(), edge)).toList());
            if (w.window() != null) {
                Map<String, Object> window = new LinkedHashMap<>();
                window.put("windows", w.window().windows());
                window.put("openNow", w.window().openNow());
                window.put("nextOpen", w.window().nextOpen());
                m.put("reloadWindow", window);
            }
            if (w.rollout() != null) {
                Map<String, Object> rollout = new LinkedHashMap<>();
                rollout.put("lastReload", w.rollout().lastReload());
                rollout.put("state", w.rollout().state());
                rollout.put("reason", w.rollout().reason());
                rollout.put("message", w.rollout().message());
                rollout.put("updatedPods", w.rollout().updated() < 0 ? null : w.rollout().updated());
                rollout.put("desiredPods", w.rollout().desired() < 0 ? null : w.rollout().desired());
                m.put("rollout", rollout);
            }
            workloads.add(m);
        }
        List<Object> problems = new ArrayList<>();
        for (Explanation.Problem p : e.problems()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
            m.put("workload", ref(p.workload()));
            m.put("key", p.key());
            m.put("message", p.message());
            problems.add(m);
        }
        root.put("sources", sources);
        root.put("workloads", workloads);
        root.put("problems", problems);
        root.put("flapping", e.flapping().stream().map(f -> {
            Map<String, Object> m = ref(f.source());
            m.put("since", f.since());
            m.put("message", f.message());
            return m;
        }).toList());
        out.println(Serialization.asJson(root));
    }

    private static Map<String, Object> edge(Explanation.Ref other, Explanation.Edge edge) {
        Map<String, Object> m = ref(other);
        m.put("rule", edge.rule());
        m.put("key", edge.key());
        m.put("container", edge.container());
        m.put("keys", edge.keys() == null ? List.of("*") : edge.keys());
        return m;
    }

    private static Map<String, Object> ref(Explanation.Ref r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind());
        m.put("namespace", r.namespace());
        m.put("name", r.name());
        return m;
    }
}
