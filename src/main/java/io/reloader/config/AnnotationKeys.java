package io.reloader.config;

/**
 * The annotation keys the controller reads and writes. Most of them can be renamed by flags, exactly as
 * in Reloader; the SecretProviderClass keys, exclude keys and the marker key are fixed.
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
        String pausedAt) {

    public static final String SPC_AUTO = "secretproviderclass.reloader.stakater.com/auto";
    public static final String SPC_RELOAD = "secretproviderclass.reloader.stakater.com/reload";
    public static final String CONFIGMAP_EXCLUDE = "configmaps.exclude.reloader.stakater.com/reload";
    public static final String SECRET_EXCLUDE = "secrets.exclude.reloader.stakater.com/reload";
    public static final String SPC_EXCLUDE = "secretproviderclasses.exclude.reloader.stakater.com/reload";
    public static final String ROLLOUT_STRATEGY = "reloader.stakater.com/rollout-strategy";
    /** Pod-template annotation written by the annotations strategy. */
    public static final String LAST_RELOADED_FROM = "reloader.stakater.com/last-reloaded-from";
    /** Project extension (spec I1): per-source hashes this controller applied, on workload metadata. */
    public static final String APPLIED_HASHES = "reloader.stakater.com/applied-hashes";

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

    public String reloadKey(SourceType type) {
        return switch (type) {
            case CONFIGMAP -> configmapReload;
            case SECRET -> secretReload;
            case SECRETPROVIDERCLASS -> SPC_RELOAD;
        };
    }

    public String typedAutoKey(SourceType type) {
        return switch (type) {
            case CONFIGMAP -> configmapAuto;
            case SECRET -> secretAuto;
            case SECRETPROVIDERCLASS -> SPC_AUTO;
        };
    }

    public String excludeKey(SourceType type) {
        return switch (type) {
            case CONFIGMAP -> CONFIGMAP_EXCLUDE;
            case SECRET -> SECRET_EXCLUDE;
            case SECRETPROVIDERCLASS -> SPC_EXCLUDE;
        };
    }
}
