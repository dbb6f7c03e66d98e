package io.reloader.image;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The controller started as a command line (the image's runtime and jar) against an in-process API server over
 * TLS, as a real one is, until it has reloaded a Deployment, then stopped with SIGTERM. It is the training run of
 * the class-data archive's list ({@link ClassList}; training on the controller itself, not on a demo, keeps tooling
 * classes out of it) and the image test's proof that the image reloads (its runtime has the modules TLS and the
 * client need).
 */
final class ControllerRun {
    private static final String NS = "training";
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

    private ControllerRun() {
    }

    /**
     * Runs {@code command} (ending in {@code -jar <jar>}) in {@code workDir} with {@code env} added, until a
     * reload happened; returns the controller's output.
     */
    static String untilReloaded(List<String> command, Path workDir, Map<String, String> env)
            throws IOException, InterruptedException {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        Path kubeconfig = Files.createTempFile("training-kubeconfig", ".yaml");
        Path log = Files.createTempFile("training", ".log");
        try (KubernetesClient client = server.createClient()) {
            Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config",
                    "clusters:", "- name: training", "  cluster:", "    server: " + server.url("/"), "    insecure-skip-tls-verify: true",
                    "contexts:", "- name: training", "  context:", "    cluster: training", "    user: training",
                    "current-context: training", "users:", "- name: training", "  user:", "    token: training", ""));
            client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("app-config").endMetadata().addToData("k", "0").build()).create();
            client.apps().deployments().inNamespace(NS).resource(deployment()).create();
            List<String> cmd = new ArrayList<>(command);
            cmd.addAll(List.of("--http-port=0", "--namespaces=" + NS));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            Process controller = pb.start();
            try {
                awaitReload(client, controller, log);
            } finally {
                controller.destroy();
                if (!controller.waitFor(60, TimeUnit.SECONDS)) {
                    controller.destroyForcibly();
                    throw new IllegalStateException("the controller did not stop on SIGTERM: " + tail(log));
                }
            }
            return Files.readString(log, StandardCharsets.UTF_8);
        } finally {
            server.destroy();
            Files.deleteIfExists(kubeconfig);
            Files.deleteIfExists(log);
        }
    }

    /**
     * Changes the ConfigMap until the controller has rolled the Deployment: a change made before its informers
     * synced is only part of the initial state and rolls nothing, so one change is not enough.
     */
    private static void awaitReload(KubernetesClient client, Process controller, Path log)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (int i = 1; System.nanoTime() < deadline; i++) {
            if (!controller.isAlive()) {
                throw new IllegalStateException("the controller exited with " + controller.exitValue() + ": "
                        + tail(log));
            }
            String value = Integer.toString(i);
            client.configMaps().inNamespace(NS).withName("app-config")
                    .edit(c -> new ConfigMapBuilder(c).addToData("k", value).build());
            Thread.sleep(500);
            if (reloaded(client.apps().deployments().inNamespace(NS).withName("web").get())) {
                return;
            }
        }
        throw new IllegalStateException("the controller did not reload within 2 minutes: " + tail(log));
    }

    private static boolean reloaded(Deployment d) {
        return Optional.ofNullable(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .orElse(List.of()).stream().map(EnvVar::getName).anyMatch("STAKATER_APP_CONFIG_CONFIGMAP"::equals);
    }

    private static Deployment deployment() {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(NS)
                .addToAnnotations("reloader.stakater.com/auto", "true").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx")
                .addNewEnvFrom().withNewConfigMapRef().withName("app-config").endConfigMapRef().endEnvFrom()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static String tail(Path log) {
        try {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
