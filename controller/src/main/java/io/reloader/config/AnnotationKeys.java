package io.reloader.config;

import io.reloader.model.SourceType;

/**
 * The annotation keys the controller reads and writes. Most of them can be renamed by flags, exactly as
 * in Reloader (the SecretProviderClass and exclude keys by Reloader v2's flags); the marker key is fixed.
 */
public record AnnotationKeys(
        String auto,
        String configmapAuto,
        String secretAuto,
        String configmapReload,
        String secretReload,
        String search,
        String match,
        String ignore,
        String pausePeriod,
        String pausedAt,
        String configmapExclude,
        String secretExclude,
        String spcReload,
        String spcAuto,
        String spcExclude) {

    /** Reloader v1's renamable keys; the others keep their defaults. */
    public AnnotationKeys(String auto, String configmapAuto, String secretAuto, String configmapReload,
                          String secretReload, String search, String match, String ignore, String pausePeriod,
                          String pausedAt) {
        this(auto, configmapAuto, secretAuto, configmapReload, secretReload, search, match, ignore, pausePeriod,
                pausedAt, CONFIGMAP_EXCLUDE, SECRET_EXCLUDE, SPC_RELOAD, SPC_AUTO, SPC_EXCLUDE);
    }

    /** The same keys with Reloader v2's renamable exclude and SecretProviderClass keys. */
    public AnnotationKeys withV2Keys(String newConfigmapExclude, String newSecretExclude, String newSpcReload,
                                     String newSpcAuto, String newSpcExclude) {
        return new AnnotationKeys(auto, configmapAuto, secretAuto, configmapReload, secretReload, search, match,
                ignore, pausePeriod, pausedAt, newConfigmapExclude, newSecretExclude, newSpcReload, newSpcAuto,
                newSpcExclude);
    }

    public static final String SPC_AUTO = "secretproviderclass.reloader.stakater.com/auto";
    public static final String SPC_RELOAD = "secretproviderclass.reloader.stakater.com/reload";
    public static final String CONFIGMAP_EXCLUDE = "configmaps.exclude.reloader.stakater.com/reload";
    public static final String SECRET_EXCLUDE = "secrets.exclude.reloader.stakater.com/reload";
    public static final String SPC_EXCLUDE = "secretproviderclasses.exclude.reloader.stakater.com/reload";
    public static final String ROLLOUT_STRATEGY = "reloader.stakater.com/rollout-strategy";
    /** Pod-template annotation written by the annotations strategy. */
    public static final String LAST_RELOADED_FROM = "reloader.stakater.com/last-reloaded-from";
    /** Project extension (docs/compatibility.md#idempotent-marker): per-source hashes this controller applied, on workload metadata. */
    public static final String APPLIED_HASHES = "reloader.stakater.com/applied-hashes";
    /** Project extension: weekly windows in which this workload may be reloaded. */
    public static final String RELOAD_WINDOW = "reloader.stakater.com/reload-window";
    /** Project extension: this workload's quiet period (a burst settles once no change came for this long). */
    public static final String QUIET_PERIOD = "reloader.stakater.com/quiet-period";
    /** Project extension: the longest this workload's changes wait for their burst to settle. */
    public static final String MAX_WAIT = "reloader.stakater.com/max-wait";
    /** Project extension: minimum time between two rollouts of this workload. */
    public static final String MIN_ROLLOUT_INTERVAL = "reloader.stakater.com/min-rollout-interval";
    /** Project extension: how long this workload's rollout may take before it is reported stalled. */
    public static final String ROLLOUT_WAIT_TIMEOUT = "reloader.stakater.com/rollout-wait-timeout";
    /** Project extension: "true" makes this workload follow only the keys it reads ({@code --referenced-keys-only}). */
    public static final String REFERENCED_KEYS_ONLY = "reloader.stakater.com/referenced-keys-only";
    /** Project extension: the keys followed where the pod spec reads whole sources, "source/key, other/prefix-*". */
    public static final String KEYS = "reloader.stakater.com/keys";
    /** Project extension (workload metadata): reloads held for a reload window, {"TYPE/name":"hash"}. */
    public static final String HELD_RELOADS = "reloader.stakater.com/held-reloads";

    public static AnnotationKeys defaults() {
        return new AnnotationKeys(
                "reloader.stakater.com/auto",
                "configmap.reloader.stakater.com/auto",
                "secret.reloader.stakater.com/auto",
                "configmap.reloader.stakater.com/reload",
                "secret.reloader.stakater.com/reload",
                "reloader.stakater.com/search",
                "reloader.stakater.com/match",
                "reloader.stakater.com/ignore",
                "deployment.reloader.stakater.com/pause-period",
                "deployment.reloader.stakater.com/paused-at");
    }

    /** A source's ignore annotation is exactly {@code true} (Reloader's rule; null annotations: not ignored). */
    public boolean ignores(java.util.Map<String, String> sourceAnnotations) {
        return sourceAnnotations != null && "true".equals(sourceAnnotations.get(ignore));
    }

    /** A source's search-match annotation is exactly {@code true}. */
    public boolean matches(java.util.Map<String, String> sourceAnnotations) {
        return sourceAnnotations != null && "true".equals(sourceAnnotations.get(match));
    }

    /** The type's named reload annotation; null for {@link SourceType#SERVICEACCOUNT}, which has none. */
    public String reloadKey(SourceType type) {
        return switch (type) {
            case CONFIGMAP -> configmapReload;
            case SECRET -> secretReload;
            case SECRETPROVIDERCLASS -> spcReload;
            case SERVICEACCOUNT -> null; // a ServiceAccount is followed by auto only (README, ServiceAccount identity)
        };
    }

    public String typedAutoKey(SourceType type) {
        return switch (type) {
            case CONFIGMAP -> configmapAuto;
            case SECRET -> secretAuto;
            case SECRETPROVIDERCLASS -> spcAuto;
            case SERVICEACCOUNT -> null;
        };
    }

    public String excludeKey(SourceType type) {
        return switch (type) {
            case CONFIGMAP -> configmapExclude;
            case SECRET -> secretExclude;
            case SECRETPROVIDERCLASS -> spcExclude;
            case SERVICEACCOUNT -> null;
        };
    }
}
