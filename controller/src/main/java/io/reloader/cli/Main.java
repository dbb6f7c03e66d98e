package io.reloader.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.config.Options;
import io.reloader.logging.LoggingSetup;
import io.reloader.report.ReloaderMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code reloader [flags]}: runs the controller in the foreground until SIGTERM. */
@Command(name = "reloader", mixinStandardHelpOptions = true, subcommands = {ExplainCommand.class},
        description = "Rolls Deployments, StatefulSets, DaemonSets, CronJobs, Jobs, Argo Rollouts and custom workload "
                + "kinds when the ConfigMaps, Secrets or CSI SecretProviderClasses they use change.",
        versionProvider = Main.Version.class)
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    @Mixin
    ControllerFlags flags;

    /**
     * The process environment, read once here and only into {@link Options} (tests pass their own); the
     * {@code explain} subcommand reads it from this parent.
     */
    Map<String, String> env = System.getenv();

    /** Reloader's root command accepts stray arguments (e.g. "--enable-ha false"); so do we, with a warning. */
    @Parameters(hidden = true, arity = "0..*")
    List<String> ignored = List.of();

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    static int run(String[] args, Map<String, String> env) {
        if (args.length > 0 && TOOLS.contains(args[0])) {
            System.err.println("Error: '" + args[0] + "' is in the tools jar, not in the controller: "
                    + "java -jar target/reloader-tools.jar " + args[0]);
            return 2;
        }
        Main main = new Main();
        main.env = env;
        return execute(main, args);
    }

    /** The tools' subcommands, which the controller's jar does not carry. */
    private static final java.util.Set<String> TOOLS = java.util.Set.of("demo", "benchmark");

    /**
     * Runs a picocli command with the controller's argument rules (Go-style bool flags, repeated flags: the last
     * wins) and exit codes (1 for a bad flag); the tools' entry point runs its commands through this too.
     */
    public static int execute(Object command, String[] args) {
        CommandLine cli = new CommandLine(command);
        cli.setOverwrittenOptionsAllowed(true); // as with Go's pflag, a repeated single-value flag: the last wins
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof FlagException) {
                cmd.getErr().println("Error: " + e.getMessage());
                return 1;
            }
            cmd.getErr().println("Error: " + e);
            return 1;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("Error: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return 1;
        });
        try {
            return cli.execute(GoFlagArgs.normalize(args, ControllerFlags.BOOL_FLAGS));
        } catch (FlagException e) {
            System.err.println("Error: " + e.getMessage());
            return 1;
        }
    }

    @Override
    public Integer call() throws Exception {
        Options parsed = flags.toOptions(env);
        LoggingSetup.configure(flags.logFormat, flags.logLevel);
        LOG.info("Starting Reloader");
        ReloaderMetrics metrics = new ReloaderMetrics(parsed.self().metricsByNamespace());
        ClientSetup.HttpRuntime http = ClientSetup.httpRuntime(metrics);
        io.reloader.ha.LeaderLease lease = parsed.ha() == null ? null
                : new io.reloader.ha.LeaderLease(java.time.Clock.systemUTC(), parsed.ha());
        KubernetesClient client = ClientSetup.configure(ClientSetup.builder(http), parsed.fieldManager(), metrics,
                parsed.reload().hasher(), h -> {
            if (lease != null) {
                h.addOrReplaceInterceptor("writeFence", HaReplica.fence(lease, parsed.ha()));
            }
        }).build();
        HaReplica replica = lease == null ? null : new HaReplica(lease, HaReplica.electionClient(ClientSetup.builder(http),
                io.fabric8.kubernetes.client.Config.autoConfigure(null), parsed.ha(), parsed.fieldManager(), metrics,
                h -> { }));
        Options options = parsed;
        ClientSetup.warmUp(client.getKubernetesSerialization());
        MigrationFlags.OpenShift openShift = flags.v2.openShift();
        boolean onOpenShift = openShift.environment() != null ? openShift == MigrationFlags.OpenShift.TRUE
                : ClusterEnvironmentProbe.isOpenShift(client);
        LOG.info("Environment: {}", onOpenShift ? "Openshift" : "Kubernetes");
        if (openShift == MigrationFlags.OpenShift.AUTO && onOpenShift) { // --is-openshift=auto: reload DeploymentConfigs
            options = options.withScope(options.scope().withCustomKind(MigrationFlags.DEPLOYMENT_CONFIG));
        }
        flags.warnings.forEach(LOG::warn);
        if (!ignored.isEmpty()) {
            LOG.warn("ignoring positional arguments: {}", String.join(" ", ignored));
        }
        ControllerRuntime runtime = new ControllerRuntime(client, options, metrics, replica)
                .metaInfo(flags.metaInfoOptions()).afterReady(StartupHeapRelease::run);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down");
            runtime.close();
            client.close();
            http.close();
            metrics.close();
            stopped.countDown();
        }, "reloader-shutdown"));
        try {
            runtime.start();
        } catch (IllegalStateException e) {
            LOG.error("{}", e.getMessage());
            System.err.println("Error: " + e.getMessage());
            return 1; // e.g. a custom workload kind the cluster does not serve: configuration, not a crash
        }
        stopped.await();
        return 0;
    }

    /** The version from the jar manifest, when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"reloader-java " + (v == null ? "dev" : v)};
        }
    }
}
