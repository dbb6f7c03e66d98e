package io.reloader.tools;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.reloader.cli.ClientSetup;
import io.reloader.cli.ControllerFlags;
import io.reloader.cli.ControllerRuntime;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.Options;
import io.reloader.hash.SourceHasher;
import io.reloader.logging.LoggingSetup;
import io.reloader.report.ReloaderMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code reloader demo}: the real controller against an embedded API server. Creates a ConfigMap and an
 * auto-annotated Deployment, changes the ConfigMap, and prints what the reload changed on the Deployment.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show a reload against an embedded API server (no cluster needed).")
final class DemoCommand implements Callable<Integer> {
    private static final String NS = "demo";
    private static final long RELOAD_TIMEOUT_MS = 30_000;
    /** Held so the level sticks: the mock server logs every request through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    @Mixin
    ControllerFlags flags;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("KUBERNETES_NAMESPACE");
        Options options = flags.toOptions(env);
        if (!spec.commandLine().getParseResult().hasMatchedOption("--http-port")) {
            options = options.withHttpPort(0);
        }
        LoggingSetup.configure(flags.logFormat(), flags.logLevel());
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        PrintStream out = System.out;
        ReloaderMetrics metrics = new ReloaderMetrics();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        String fieldManager = options.fieldManager();
        try (metrics; KubernetesClient client = server.createClient(b -> ClientSetup.configure(b, fieldManager, metrics, h -> { }));
             ControllerRuntime runtime = new ControllerRuntime(client, options, metrics)) {
            out.printf("Embedded API server on http://%s:%d (in-process, CRUD mode)%n",
                    server.getHostName(), server.getPort());
            ConfigMap cm = client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("app-config").withNamespace(NS).endMetadata()
                    .addToData("greeting", "hello").build()).create();
            client.apps().deployments().inNamespace(NS).resource(deployment(options.keys().auto())).create();
            out.printf("Created ConfigMap %s/app-config (hash %s)%n", NS, SourceHasher.configMap(cm));
            out.printf("Created Deployment %s/web with %s: \"true\", strategy %s%n", NS,
                    options.keys().auto(), options.reload().strategy().flagValue());
            runtime.start();
            Deployment before = client.apps().deployments().inNamespace(NS).withName("web").get();
            out.println();
            out.println("Before:");
            print(out, before);

            ConfigMap changed = client.configMaps().inNamespace(NS).withName("app-config")
                    .edit(c -> new ConfigMapBuilder(c).addToData("greeting", "hello, world").build());
            String expected = SourceHasher.configMap(changed);
            out.printf("%nChanged ConfigMap %s/app-config: greeting=hello -> greeting=\"hello, world\" (new hash %s)%n",
                    NS, expected);

            Deployment after = awaitChange(client, before);
            if (after == null) {
                out.println("No reload happened within " + RELOAD_TIMEOUT_MS / 1000 + "s.");
                return 1;
            }
            out.println();
            out.println("After:");
            print(out, after);
            out.printf("%nReloaded: the Deployment's pod template changed (generation %d -> %d), so it rolls.%n",
                    before.getMetadata().getGeneration(), after.getMetadata().getGeneration());
            return 0;
        } finally {
            server.destroy();
        }
    }

    private static Deployment awaitChange(KubernetesClient client, Deployment before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + RELOAD_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            Deployment d = client.apps().deployments().inNamespace(NS).withName("web").get();
            if (!Objects.equals(d.getSpec().getTemplate(), before.getSpec().getTemplate())) {
                return d;
            }
            Thread.sleep(100);
        }
        return null;
    }

    private static void print(PrintStream out, Deployment d) {
        out.println("  containers[app].env:");
        var env = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        if (env == null || env.isEmpty()) {
            out.println("    (none)");
        } else {
            env.forEach(e -> out.printf("    %s=%s%n", e.getName(), e.getValue()));
        }
        Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
        String marker = annotations == null ? null : annotations.get(AnnotationKeys.LAST_RELOADED_FROM);
        out.printf("  template annotation %s: %s%n", AnnotationKeys.LAST_RELOADED_FROM,
                marker == null ? "(none)" : marker);
    }

    private static Deployment deployment(String autoKey) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace(NS)
                .addToAnnotations(autoKey, "true").endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27")
                .addNewEnvFrom().withNewConfigMapRef().withName("app-config").endConfigMapRef().endEnvFrom()
                .endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
