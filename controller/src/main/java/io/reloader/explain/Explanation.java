package io.reloader.explain;

import java.util.List;

/**
 * What {@code explain} found: for each source, the workloads that would reload on its change and by which rule;
 * for each workload, the sources it follows; and annotation problems.
 */
public record Explanation(List<Source> sources, List<Workload> workloads, List<Problem> problems,
                          List<Flapping> flapping) {

    public Explanation(List<Source> sources, List<Workload> workloads, List<Problem> problems) {
        this(sources, workloads, problems, List.of());
    }

    /** The same explanation with the sources held as flapping (read from a cluster's Events). */
    public Explanation withFlapping(List<Flapping> held) {
        return new Explanation(sources, workloads, problems, held);
    }

    /**
     * A source the controller holds as flapping ({@code --flap-window}).
     *
     * @param since   when it began to flap (the last SourceFlapping Event)
     * @param message that Event's message: who wrote the alternating versions, which workloads are held
     */
    public record Flapping(Ref source, String since, String message) {
    }

    /** A workload or source, named the way kubectl prints it. */
    public record Ref(String kind, String namespace, String name) {
        @Override
        public String toString() {
            return kind + " " + namespace + "/" + name;
        }
    }

    /**
     * One edge: {@code workload} follows {@code source} by {@code rule} (the annotation key that decided, if any);
     * {@code keys} are the keys it follows with key-level precision, or null for every key.
     */
    public record Edge(Ref source, Ref workload, String rule, String key, String container, List<String> keys) {
        public Edge(Ref source, Ref workload, String rule, String key, String container) {
            this(source, workload, rule, key, container, null);
        }
    }

    public record Source(Ref ref, boolean present, List<Edge> reloads) {
    }

    /**
     * @param window  when the workload may be reloaded, or null for any time
     * @param rollout its last reload and rollout, read from a cluster; null for manifests
     */
    public record Workload(Ref ref, List<Edge> follows, Window window, Rollout rollout) {
        public Workload(Ref ref, List<Edge> follows) {
            this(ref, follows, null, null);
        }

        public Workload(Ref ref, List<Edge> follows, Window window) {
            this(ref, follows, window, null);
        }
    }

    /**
     * A workload's last reload and where its rollout stands (kstatus's state names).
     *
     * @param lastReload the source of the last reload and when, or null when it carries no marker
     * @param updated    pods that run the current template, from status (-1 when the kind does not say)
     * @param desired    pods the workload wants (-1 when the kind does not say)
     */
    public record Rollout(String lastReload, String state, String reason, String message, int updated, int desired) {
    }

    /** A workload's reload window: its text, whether it is open at the time of the explanation, and the next opening. */
    public record Window(String windows, boolean openNow, String nextOpen) {
    }

    public enum Severity { ERROR, WARNING }

    public record Problem(Severity severity, Ref workload, String key, String message) {
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(p -> p.severity() == Severity.ERROR);
    }
}
