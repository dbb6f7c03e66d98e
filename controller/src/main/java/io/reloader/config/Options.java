package io.reloader.config;

/**
 * The validated, immutable configuration of one controller run, in sections. Built from the command line by the
 * CLI's flags (whose names are Reloader's); everything downstream reads only this record.
 *
 * @param reload       what a reload does and when a change counts
 * @param scope        what is watched: namespaces, selectors, source types, workload kinds
 * @param keys         the annotation keys (renamable by flags)
 * @param fieldManager the field manager every write names
 * @param rollout      rollout pacing, rate limits and workers
 * @param timing       quiet period, coalesce window and reload windows
 * @param ha           leader election settings, or null without {@code --enable-ha}
 * @param http         the HTTP endpoints
 * @param alerts       reload alerts (off by default)
 * @param self         the controller's own namespace, Deployment and metrics detail (from the chart's environment)
 */
public record Options(ReloadOptions reload, ScopeOptions scope, AnnotationKeys keys, String fieldManager,
                      RolloutOptions rollout, TimingOptions timing, HaOptions ha, HttpOptions http,
                      AlertOptions alerts, SelfOptions self) {

    public Options withHttpPort(int port) {
        return new Options(reload, scope, keys, fieldManager, rollout, timing, ha,
                new HttpOptions(port, http.pprofAddress(), http.separate(), http.metricsAddress(), http.healthAddress()),
                alerts, self);
    }

    /** The same options watching another scope (a platform detected at start adds workload kinds). */
    public Options withScope(ScopeOptions newScope) {
        return new Options(reload, newScope, keys, fieldManager, rollout, timing, ha, http, alerts, self);
    }
}
