package io.reloader.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.reloader.config.Options;
import io.reloader.explain.Explainer;
import io.reloader.explain.Explanation;
import io.reloader.explain.ExplanationPrinter;
import io.reloader.explain.FlappingSources;
import io.reloader.explain.ManifestLoader;
import io.reloader.kube.CustomKinds;
import io.reloader.kube.Operations;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.KindRegistry;
import io.reloader.workload.AdapterRegistry;
import io.reloader.workload.CustomWorkloadAdapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code reloader explain PATH|--cluster}: which workloads reload when each ConfigMap or Secret changes, and
 * why; flags invalid or useless annotations. Exit 0 when fine, 1 when an annotation is invalid, 2 on usage errors.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show which workloads reload when each ConfigMap or Secret changes, and by which rule; "
                + "report invalid or useless annotations (exit 1 on errors, for CI).")
final class ExplainCommand implements Callable<Integer> {
    /** The controller command, whose environment map is the one this reads (null when run on its own). */
    @picocli.CommandLine.ParentCommand
    Main parent;

    @Mixin
    ControllerFlags flags;

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "A manifest file, or a directory read recursively")
    Path path;

    @Option(names = "--cluster", description = "Read the objects from the cluster (KUBECONFIG) instead of files")
    boolean cluster;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json")
    String output;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", paramLabel = "NS",
            description = "Namespace for manifests that name none (default: ${DEFAULT-VALUE})")
    String namespace;

    @Override
    public Integer call() throws IOException {
        if (!output.equals("text") && !output.equals("json")) {
            System.err.println("Error: -o/--output must be one of: text, json, not '" + output + "'");
            return 2;
        }
        if ((path == null) == !cluster) {
            System.err.println("Error: give either a PATH (file or directory) or --cluster");
            return 2;
        }
        Options options = flags.toOptions(parent == null ? System.getenv() : parent.env);
        // Manifests name custom kinds themselves; the plural is only needed to list them from a cluster.
        options.scope().customKinds().forEach(spec -> KindRegistry.register(CustomKinds.assumed(spec)));
        List<HasMetadata> objects;
        if (cluster) {
            objects = fromCluster(options);
        } else {
            if (!Files.exists(path)) {
                System.err.println("Error: " + path + " does not exist");
                return 2;
            }
            ManifestLoader loader = new ManifestLoader(namespace);
            objects = loader.load(path);
            loader.skipped().forEach(s -> System.err.println("skipped " + s));
        }
        Explainer explainer = new Explainer(options.keys(), options.reload().autoReloadAll(), options.timing(),
                java.time.Instant.now(), options.reload().referencedKeysOnly(),
                options.reload().honorWaveAnnotations())
                .withServiceAccounts(options.scope().serviceAccounts().enabled());
        if (cluster) { // a cluster's objects carry real status: say where each rollout stands
            AdapterRegistry adapters = new AdapterRegistry(null, null, null, null, java.time.Clock.systemUTC());
            KindRegistry.all().stream().filter(k -> !adapters.kinds().contains(k))
                    .forEach(k -> adapters.register(new CustomWorkloadAdapter(k, null)));
            explainer.withRollouts(o -> adapters.of(KindRegistry.of(o)).rolloutStatus(o),
                    options.rollout().waitTimeout());
        }
        Explanation e = explainer.explain(objects);
        if (cluster) {
            e = e.withFlapping(FlappingSources.of(flapEvents()));
        }
        if (output.equals("json")) {
            ExplanationPrinter.json(e, System.out);
        } else {
            ExplanationPrinter.text(e, System.out);
        }
        return e.hasErrors() ? 1 : 0;
    }

    /**
     * The controller's Events about flapping sources. The hold lives in the controller's memory; its Events are
     * what a cluster shows of it. Read a page at a time.
     */
    private static List<io.fabric8.kubernetes.api.model.Event> flapEvents() {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            List<io.fabric8.kubernetes.api.model.Event> events = new ArrayList<>();
            // Every Event, a page at a time, keeping only the two reasons (not every server narrows by reason).
            String next = null;
            do {
                var page = client.v1().events().inAnyNamespace().list(new io.fabric8.kubernetes.api.model
                        .ListOptionsBuilder().withLimit(500L).withContinue(next).build());
                page.getItems().stream().filter(ev -> FlappingSources.FLAPPING.equals(ev.getReason())
                        || FlappingSources.SETTLED.equals(ev.getReason())).forEach(events::add);
                next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            } while (next != null && !next.isEmpty());
            return events;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            System.err.println("cannot read Events, flapping sources not shown: " + io.reloader.kube.ApiErrors.describe(e));
            return List.of();
        }
    }

    /** Sources are read for their metadata only; their data is dropped at once. */
    private static List<HasMetadata> fromCluster(Options options) {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            List<HasMetadata> objects = new ArrayList<>();
            client.configMaps().inAnyNamespace().list().getItems().forEach(c -> {
                c.setData(null);
                c.setBinaryData(null);
                objects.add(c);
            });
            client.secrets().inAnyNamespace().list().getItems().forEach(s -> {
                s.setData(null);
                s.setStringData(null);
                objects.add(s);
            });
            if (options.scope().serviceAccounts().enabled()) {
                client.serviceAccounts().inAnyNamespace().list().getItems().forEach(sa -> {
                    sa.setSecrets(null);
                    sa.setImagePullSecrets(null);
                    objects.add(sa);
                });
            }
            List<WorkloadKind> kinds = new ArrayList<>(options.scope().workloadKinds());
            for (WorkloadKind custom : CustomKinds.discover(client, options.scope().customKinds())) {
                KindRegistry.register(custom);
                kinds.add(custom);
            }
            for (WorkloadKind kind : kinds) {
                objects.addAll(Operations.of(client, kind).inAnyNamespace().list().getItems());
            }
            return objects;
        }
    }
}
