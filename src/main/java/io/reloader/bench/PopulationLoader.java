package io.reloader.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Fills the in-process API server with the benchmark's Secrets, ConfigMaps and Deployments, as real tools leave them. */
final class PopulationLoader {
    private final Population population;
    private final KubernetesClient driver;
    private final Random random;

    PopulationLoader(Population population, KubernetesClient driver, Random random) {
        this.population = population;
        this.driver = driver;
        this.random = random;
    }

    /** A small binaryData entry on every ConfigMap, as tools that ship certificates or keystores leave them. */
    private static final String BINARY = Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xff});

    /** Creates the population; records which ConfigMaps each workload references. */
    void load(Map<String, List<String>> references) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        byte[] secretValue = new byte[population.secretBytes()];
        String cmValue = "x".repeat(population.configMapBytes());
        for (int i = 0; i < population.secrets(); i++) {
            int n = i;
            pool.execute(() -> {
                byte[] v = secretValue.clone();
                random(n).nextBytes(v);
                String value = Base64.getEncoder().encodeToString(v);
                String ns = Benchmark.ns(n % population.namespaces());
                // As `kubectl apply` leaves it: the last-applied annotation repeats the whole Secret, data included.
                String lastApplied = "{\"apiVersion\":\"v1\",\"data\":{\"value\":\"" + value + "\"},\"kind\":\"Secret\","
                        + "\"metadata\":{\"name\":\"secret-" + n + "\",\"namespace\":\"" + ns + "\"}}";
                driver.secrets().inNamespace(ns).resource(new SecretBuilder()
                        .withNewMetadata().withName("secret-" + n)
                        .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", lastApplied).endMetadata()
                        .addToData("value", value).build()).create();
            });
        }
        for (int i = 0; i < population.configMaps(); i++) {
            int n = i;
            pool.execute(() -> driver.configMaps().inNamespace(Benchmark.ns(n % population.namespaces())).resource(
                    new ConfigMapBuilder().withNewMetadata().withName("cm-" + n).endMetadata()
                            .addToData("value", cmValue).addToBinaryData("blob", BINARY).build()).create());
        }
        int perNamespace = Math.max(1, population.configMaps() / population.namespaces());
        for (int i = 0; i < population.workloads(); i++) {
            int nsIndex = i % population.namespaces();
            int refs = 1 + random.nextInt(3);
            List<String> cms = new ArrayList<>();
            for (int r = 0; r < refs; r++) {
                cms.add("cm-" + (nsIndex + population.namespaces() * random.nextInt(perNamespace)));
            }
            String name = "workload-" + i;
            references.put(name, cms);
            Deployment d = deployment(Benchmark.ns(nsIndex), name, cms);
            pool.execute(() -> driver.resource(d).create());
        }
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("populating took longer than 30 minutes");
        }
    }

    private static Random random(int seed) {
        return new Random(seed * 31L + 7);
    }

    private static Deployment deployment(String ns, String name, List<String> configMaps) {
        ContainerBuilder c = new ContainerBuilder().withName("app").withImage("nginx");
        configMaps.stream().distinct().forEach(cm -> c.addNewEnvFrom().withNewConfigMapRef().withName(cm)
                .endConfigMapRef().endEnvFrom());
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .addToAnnotations("reloader.stakater.com/auto", "true").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(c.build()).endSpec().endTemplate().endSpec().build();
    }

}
