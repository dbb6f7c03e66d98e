package io.reloader.cli;

import io.reloader.config.AlertOptions;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.HaOptions;
import io.reloader.config.HttpOptions;
import io.reloader.config.LabelSelector;
import io.reloader.config.Options;
import io.reloader.config.ReloadOptions;
import io.reloader.config.ReloadStrategyType;
import io.reloader.config.RolloutOptions;
import io.reloader.config.ScopeOptions;
import io.reloader.hash.SourceHasher;
import io.reloader.logging.LoggingSetup;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKind;
import io.reloader.workload.AdapterRegistry;
import io.reloader.workload.WorkloadAdapter;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reloader's command-line flags (docs/compatibility.md#flags-and-environment), same names, types and defaults, plus this project's extensions.
 * {@link #toOptions} validates them into one immutable {@link Options}.
 */
public final class ControllerFlags {
    /** Bool flags: bare or {@code =<go-bool>}, never followed by a separate value. */
    static final Set<String> BOOL_FLAGS = Set.of("--auto-reload-all", "--sync-after-restart",
            "--enable-csi-integration", "--enable-ha", "--enable-pprof", "--cronjob-respect-suspend",
            "--keep-stale-env-vars", "--referenced-keys-only", "--honor-wave-annotations",
            "--sequential-rollouts", ServiceAccountFlags.RELOAD_FLAG);

    @Option(names = "--reload-strategy", paramLabel = "STRATEGY", defaultValue = "env-vars",
            description = "env-vars (set STAKATER_<NAME>_CONFIGMAP|SECRET to the source's hash) or annotations (write "
                    + "reloader.stakater.com/last-reloaded-from on the pod template; the GitOps-safe choice) (default: ${DEFAULT-VALUE})")
    String reloadStrategy;

    @Option(names = "--auto-reload-all", description = "Reload every workload that references a changed source, unless it opts out")
    boolean autoReloadAll;

    @Option(names = "--reload-on-create", paramLabel = "BOOL", defaultValue = "false",
            description = "Reload when a source is created (only the exact value true enables it)")
    String reloadOnCreate;

    @Option(names = "--reload-on-delete", paramLabel = "BOOL", defaultValue = "false",
            description = "Reload when a source is deleted (only the exact value true enables it)")
    String reloadOnDelete;

    @Option(names = "--sync-after-restart", description = "Treat sources found at start-up as created (with --reload-on-create=true)")
    boolean syncAfterRestart;

    @Option(names = "--resources-to-ignore", paramLabel = "LIST", description = "configmaps or secrets: do not watch that type")
    List<String> resourcesToIgnore = new ArrayList<>();

    @Option(names = "--ignored-workload-types", paramLabel = "LIST", description = "Do not reload these kinds: jobs, cronjobs or both")
    List<String> ignoredWorkloadTypes = new ArrayList<>();

    @Option(names = "--namespaces", paramLabel = "LIST", description = "Watch exactly these namespaces (else KUBERNETES_NAMESPACE, else all)")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--namespaces-to-ignore", paramLabel = "LIST", description = "Global mode: ignore changes in these namespaces")
    List<String> namespacesToIgnore = new ArrayList<>();

    @Option(names = "--namespace-selector", paramLabel = "LIST", description = "Global mode: only namespaces with these labels")
    List<String> namespaceSelector = new ArrayList<>();

    @Option(names = "--resource-label-selector", paramLabel = "LIST", description = "Only ConfigMaps and Secrets with these labels")
    List<String> resourceLabelSelector = new ArrayList<>();

    @Option(names = "--is-Argo-Rollouts", paramLabel = "BOOL", defaultValue = "false", description = "Reload Argo Rollouts (only the exact value true enables it)")
    String isArgoRollouts;

    @Option(names = "--enable-csi-integration", description = "Watch SecretProviderClassPodStatuses")
    boolean enableCsi;

    @Option(names = "--enable-ha", description = "Leader election on a Lease (--leader-election-*); needs POD_NAME, and "
            + "POD_NAMESPACE unless --leader-election-namespace is given")
    boolean enableHa;

    @Option(names = "--webhook-url", paramLabel = "URL", defaultValue = "", description = "POST {\"webhook\":\"update successful\"} to this URL instead of reloading")
    String webhookUrl;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "", description = "json, or text (the default: logrus's time=... level=... msg=... lines)")
    String logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "trace, debug, info, warn, warning, error, fatal or panic (default: ${DEFAULT-VALUE})")
    String logLevel;

    /** The {@code --log-format} value, for commands that configure logging before they run the controller. */
    public String logFormat() {
        return logFormat;
    }

    /** The {@code --log-level} value. */
    public String logLevel() {
        return logLevel;
    }

    @Option(names = "--enable-pprof", description = "Also serve /metrics, /live and /ready on --pprof-addr (Go "
            + "profiling has no JVM equivalent)")
    boolean enablePprof;

    @Option(names = "--pprof-addr", paramLabel = "ADDR", defaultValue = ":6060", description = "[host]:port for --enable-pprof")
    String pprofAddr;

    @picocli.CommandLine.Mixin
    AnnotationKeyFlags keyFlags = new AnnotationKeyFlags();

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "9090",
            description = "Port for /metrics, /live and /ready; 0 turns the HTTP server off (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--field-manager", paramLabel = "NAME", defaultValue = "Reloader",
            description = "Field manager named by every write; must not start with kubectl or before-first-apply, "
                    + "whose fields Flux takes over (default: ${DEFAULT-VALUE})")
    String fieldManager;

    @Option(names = "--coalesce-window", paramLabel = "DURATION", defaultValue = "2s",
            description = "Changes reaching one workload within this window roll it once; 0s writes per event (default: ${DEFAULT-VALUE})")
    String coalesceWindow;

    @Option(names = "--cronjob-respect-suspend", description = "Create no Job for a suspended CronJob")
    boolean cronjobRespectSuspend;

    @Option(names = "--reload-missed-on-start", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            paramLabel = "BOOL", description = "At start, reload once each workload whose marker holds an older hash "
            + "than its source, i.e. changes made while no controller ran (default: ${DEFAULT-VALUE})")
    String reloadMissedOnStart;

    @Option(names = "--hash-key-file", paramLabel = "FILE", description = "Hash source data with HMAC-SHA256 "
            + "keyed by this file (e.g. a mounted Secret) instead of Reloader's SHA-1, so hashes in pod specs cannot "
            + "be used to guess weak secrets. Breaks hash compatibility with Reloader: every workload rolls once")
    java.nio.file.Path hashKeyFile;

    @Option(names = "--min-rollout-interval", paramLabel = "DURATION", defaultValue = "0s", description = "Minimum "
            + "time between two rollouts of one workload; later changes wait and are merged (default: ${DEFAULT-VALUE}, off)."
            + " A workload can set its own with the annotation reloader.stakater.com/min-rollout-interval")
    String minRolloutInterval;

    @Option(names = "--sequential-rollouts", description = "Roll the workloads that follow one source one at a time, "
            + "each after the previous one is available again")
    boolean sequentialRollouts;

    @Option(names = "--rollout-wait-timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long a reload's rollout may take before it is reported stalled (Warning "
                    + "ReloadRolloutStalled; per workload: annotation reloader.stakater.com/rollout-wait-timeout); with "
                    + "--sequential-rollouts also how long to wait for the previous workload (default: ${DEFAULT-VALUE})")
    String rolloutWaitTimeout;

    @Option(names = "--max-writes-per-second", paramLabel = "N", defaultValue = "10",
            description = "Client-side limit on workload writes per second; 0 is unlimited (default: ${DEFAULT-VALUE})")
    double maxWritesPerSecond;

    @Option(names = "--max-writes-burst", paramLabel = "N", defaultValue = "100",
            description = "Writes allowed at once before --max-writes-per-second applies (default: ${DEFAULT-VALUE})")
    int maxWritesBurst;

    @picocli.CommandLine.Mixin
    TimingFlags timing = new TimingFlags();

    @picocli.CommandLine.Mixin
    PrecisionFlags precision = new PrecisionFlags();

    @picocli.CommandLine.Mixin
    MigrationFlags v2 = new MigrationFlags();

    @picocli.CommandLine.Mixin
    ServiceAccountFlags serviceAccountFlags = new ServiceAccountFlags();

    @picocli.CommandLine.Mixin
    LeaderElectionFlags leaderElection = new LeaderElectionFlags();

    @picocli.CommandLine.Mixin
    AlertFlags alertFlags = new AlertFlags();

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4", description = "Workloads written concurrently (default: ${DEFAULT-VALUE})")
    int workers;

    /** Warnings found while validating, to log once logging is configured. */
    final List<String> warnings = new ArrayList<>();

    /** Parses and validates command-line flags outside a command, e.g. in tests and tools. */
    public static Options parse(Map<String, String> env, String... args) {
        ControllerFlags flags = new ControllerFlags();
        new picocli.CommandLine(flags).setOverwrittenOptionsAllowed(true)
                .parseArgs(GoFlagArgs.normalize(args, BOOL_FLAGS));
        return flags.toOptions(env);
    }

    /** The {@code reloaderOptions} of the meta-info ConfigMap. */
    public Map<String, Object> metaInfoOptions() {
        return MetaInfoOptions.of(this);
    }

    /** Validates the flags; throws {@link FlagException} naming the flag and the allowed values. */
    public Options toOptions(Map<String, String> env) {
        ReloadStrategyType strategy = ReloadStrategyType.fromFlag(reloadStrategy);
        if (strategy == null) {
            throw new FlagException("reload-strategy must be one of: env-vars, annotations");
        }
        if (!LoggingSetup.FORMATS.contains(logFormat)) {
            throw new FlagException("--log-format must be one of: json, text (or empty for text), not '" + logFormat + "'");
        }
        if (!LoggingSetup.LEVELS.contains(logLevel)) {
            throw new FlagException("--log-level must be one of: " + String.join(", ", LoggingSetup.LEVELS)
                    + ", not '" + logLevel + "'");
        }
        Set<SourceType> watched = watchedTypes();
        List<String> scoped = FlagValues.dedupe(GoFlagArgs.csvAll(namespaces));
        String single = env.getOrDefault("KUBERNETES_NAMESPACE", "");
        List<String> watchNamespaces = !scoped.isEmpty() ? scoped : single.isEmpty() ? List.of() : List.of(single);
        boolean global = watchNamespaces.isEmpty();
        Set<String> ignoredNamespaces = new TreeSet<>(FlagValues.trimmed(GoFlagArgs.csvAll(namespacesToIgnore)));
        if (!global && !ignoredNamespaces.isEmpty()) {
            warnings.add("namespaces-to-ignore is set but is only honored in global mode (watchGlobally=true); ignoring it.");
            ignoredNamespaces.clear();
        }
        LabelSelector nsSelector = FlagValues.selector("--namespace-selector", namespaceSelector);
        LabelSelector resourceSelector = FlagValues.selector("--resource-label-selector", resourceLabelSelector);
        if (httpPort < 0 || httpPort > 65535) {
            throw new FlagException("--http-port must be between 0 and 65535 (0 turns the HTTP server off), not " + httpPort);
        }
        if (fieldManager.isBlank() || fieldManager.startsWith("kubectl") || fieldManager.startsWith("before-first-apply")) {
            throw new FlagException("--field-manager must be a non-empty name that does not start with 'kubectl' or "
                    + "'before-first-apply' (Flux takes over fields of such managers), not '" + fieldManager + "'");
        }
        Duration window = FlagValues.duration("--coalesce-window", coalesceWindow);
        if (workers < 1 || workers > 256) {
            throw new FlagException("--workers must be between 1 and 256, not " + workers);
        }
        HaOptions ha = leaderElection.toOptions(enableHa, env);
        AlertOptions alerts = alertFlags.toOptions(env);
        if (enableCsi) {
            watched.add(SourceType.SECRETPROVIDERCLASS);
        }
        // The built-in kinds, each as its adapter declares: the flag setting that turns it on, the word that
        // turns it off.
        Set<String> settings = Set.of("--is-Argo-Rollouts=" + isArgoRollouts);
        Set<WorkloadKind> kinds = new java.util.LinkedHashSet<>();
        Map<String, WorkloadKind> ignorable = new java.util.HashMap<>();
        for (WorkloadAdapter adapter : AdapterRegistry.declarations()) {
            if (adapter.enabledBy() == null || settings.contains(adapter.enabledBy())) {
                kinds.add(adapter.kind());
            }
            if (adapter.ignoredAs() != null) {
                ignorable.put(adapter.ignoredAs(), adapter.kind());
            }
        }
        String ignoredTypesError = null;
        Set<WorkloadKind> ignoredKinds = new java.util.HashSet<>();
        for (String v : GoFlagArgs.csvAll(ignoredWorkloadTypes)) {
            WorkloadKind ignored = ignorable.get(v.trim());
            if (ignored != null) {
                ignoredKinds.add(ignored);
            } else { // Reloader's message, word for word
                ignoredTypesError = "Failed to parse ignored workload types: 'ignored-workload-types' "
                        + "accepts 'jobs', 'cronjobs', or both, not '" + v + "'";
            }
        }
        if (ignoredTypesError == null) {
            kinds.removeAll(ignoredKinds); // an invalid entry switches the whole veto off, as in Reloader
        }
        AnnotationKeys keys = v2.keys(keyFlags.toKeys());
        ReloadOptions reload = new ReloadOptions(strategy, autoReloadAll, "true".equals(reloadOnCreate),
                "true".equals(reloadOnDelete), syncAfterRestart,
                FlagValues.bool("--reload-missed-on-start", reloadMissedOnStart), timing.keepStaleEnvVars,
                cronjobRespectSuspend,
                webhookUrl.isBlank() ? "" : AlertFlags.httpUrl("--webhook-url", webhookUrl), hasher(),
                precision.referencedKeysOnly, v2.honorWaveAnnotations);
        ScopeOptions scope = new ScopeOptions(watchNamespaces, global, ignoredNamespaces, global ? nsSelector : null,
                resourceSelector, watched, enableCsi, kinds, ignoredTypesError, customKinds(),
                serviceAccountFlags.toOptions());
        HttpOptions http = v2.http(httpPort, enablePprof ? FlagValues.address("--pprof-addr", pprofAddr) : null,
                warnings);
        return new Options(reload, scope, keys, fieldManager, rolloutOptions(), timing.toOptions(window), ha, http,
                alerts, selfOptions(env));
    }

    /** The chart's variables about the controller itself; no flag sets them (Reloader's names). */
    static io.reloader.config.SelfOptions selfOptions(Map<String, String> env) {
        return new io.reloader.config.SelfOptions(env.getOrDefault("RELOADER_NAMESPACE", ""),
                env.getOrDefault("RELOADER_DEPLOYMENT_NAME", ""), "enabled".equals(env.get("METRICS_COUNT_BY_NAMESPACE")));
    }

    private List<io.reloader.config.CustomKindSpec> customKinds() {
        List<io.reloader.config.CustomKindSpec> custom = new ArrayList<>(precision.customKinds());
        v2.workloadKinds().stream().filter(k -> custom.stream().noneMatch(c -> c.group().equals(k.group())
                && c.kind().equals(k.kind()))).forEach(custom::add);
        return custom;
    }

    private Set<SourceType> watchedTypes() {
        Set<SourceType> ignored = EnumSet.noneOf(SourceType.class);
        for (String v : GoFlagArgs.csvAll(resourcesToIgnore)) {
            SourceType t = SourceType.fromIgnoreEntry(v);
            if (t == null) {
                throw new FlagException("'resources-to-ignore' only accepts 'configmaps' or 'secrets', not '" + v + "'");
            }
            ignored.add(t);
        }
        if (ignored.size() > 1) {
            throw new FlagException("'resources-to-ignore' only accepts 'configmaps' or 'secrets', not both");
        }
        Set<SourceType> watched = EnumSet.of(SourceType.CONFIGMAP, SourceType.SECRET);
        watched.removeAll(ignored);
        return watched;
    }

    private RolloutOptions rolloutOptions() {
        if (maxWritesPerSecond < 0 || maxWritesBurst < 1) {
            throw new FlagException("--max-writes-per-second must be 0 (unlimited) or more and --max-writes-burst at "
                    + "least 1, not " + maxWritesPerSecond + " and " + maxWritesBurst);
        }
        return new RolloutOptions(FlagValues.duration("--min-rollout-interval", minRolloutInterval), sequentialRollouts,
                FlagValues.duration("--rollout-wait-timeout", rolloutWaitTimeout), maxWritesPerSecond, maxWritesBurst,
                workers);
    }

    private SourceHasher hasher() {
        if (hashKeyFile == null) {
            return SourceHasher.reloaderCompatible();
        }
        try {
            byte[] key = java.nio.file.Files.readAllBytes(hashKeyFile);
            SourceHasher keyed = SourceHasher.keyed(key);
            java.util.Arrays.fill(key, (byte) 0);
            warnings.add("--hash-key-file is set: source hashes are keyed HMAC-SHA256, not Reloader's SHA-1");
            return keyed;
        } catch (java.io.IOException e) {
            throw new FlagException("--hash-key-file: cannot read " + hashKeyFile + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new FlagException("--hash-key-file: " + e.getMessage());
        }
    }

}
