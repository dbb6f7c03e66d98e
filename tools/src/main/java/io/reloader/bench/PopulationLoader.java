package io.reloader.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Fills the in-process API server's store with the benchmark's Secrets, ConfigMaps and Deployments, as real tools
 * leave them (kubectl's last-applied-configuration on Secrets, binaryData on ConfigMaps) and with the metadata an
 * API server sets. The store is loaded directly: creating 40,000 objects over HTTP takes the mock hours.
 */
final class PopulationLoader {
    /** A small binaryData entry on every ConfigMap, as tools that ship certificates or keystores leave them. */
    private static final String BINARY = Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xff});

    private final Population population;
    private final ScaledCrudDispatcher store;
    private final Random random;
    private final String created = Instant.now().toString().replaceAll("\\.\\d+", "");

    PopulationLoader(Population population, ScaledCrudDispatcher store, Random random) {
        this.population = population;
        this.store = store;
        this.random = random;
    }

    /** Loads the population; records which ConfigMaps each workload references. Returns the bytes of JSON. */
    long load(Map<String, List<String>> references) {
        String cmValue = "x".repeat(population.configMapBytes());
        long secretBytes = IntStream.range(0, population.secrets()).parallel().mapToLong(n -> {
            byte[] v = new byte[population.secretBytes()];
            random(n).nextBytes(v);
            String value = Base64.getEncoder().encodeToString(v);
            String ns = Benchmark.ns(n % population.namespaces());
            // As `kubectl apply` leaves it: the last-applied annotation repeats the whole Secret, data included.
            String lastApplied = "{\"apiVersion\":\"v1\",\"data\":{\"value\":\"" + value + "\"},\"kind\":\"Secret\","
                    + "\"metadata\":{\"name\":\"secret-" + n + "\",\"namespace\":\"" + ns + "\"}}";
            return put(new SecretBuilder().withNewMetadata().withName("secret-" + n).withNamespace(ns)
                    .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", lastApplied).endMetadata()
                    .withType("Opaque").addToData("value", value).build(), "secrets");
        }).sum();
        long cmBytes = IntStream.range(0, population.configMaps()).parallel().mapToLong(n -> put(
                new ConfigMapBuilder().withNewMetadata().withName("cm-" + n)
                        .withNamespace(Benchmark.ns(n % population.namespaces())).endMetadata()
                        .addToData("value", cmValue).addToBinaryData("blob", BINARY).build(), "configmaps")).sum();
        int perNamespace = Math.max(1, population.configMaps() / population.namespaces());
        long deploymentBytes = 0;
        for (int i = 0; i < population.workloads(); i++) {
            int nsIndex = i % population.namespaces();
            int refs = 1 + random.nextInt(3);
            List<String> cms = new ArrayList<>();
            for (int r = 0; r < refs; r++) {
                cms.add("cm-" + (nsIndex + population.namespaces() * random.nextInt(perNamespace)));
            }
            String name = "workload-" + i;
            references.put(name, cms);
            deploymentBytes += put(deployment(Benchmark.ns(nsIndex), name, cms), "deployments");
        }
        return secretBytes + cmBytes + deploymentBytes;
    }

    /**
     * Adds the Helm release records as Helm's Secret driver writes them: {@code sh.helm.release.v1.<release>.v<n>},
     * type {@code helm.sh/release.v1}, Helm's labels, and one key {@code release} holding base64 of the gzipped
     * release (random bytes here: gzip output does not compress further), no last-applied annotation. Five
     * revisions per release. Returns the bytes of JSON.
     */
    long loadHelm() {
        int revisions = 5;
        return IntStream.range(0, population.helmSecrets()).parallel().mapToLong(n -> {
            int release = n / revisions;
            int revision = n % revisions + 1;
            byte[] gzipped = new byte[population.helmSecretBytes() * 3 / 4];
            random(1_000_000 + n).nextBytes(gzipped);
            // The release as Helm stores it is base64 text; the API server's data field is base64 of that again.
            byte[] stored = Base64.getEncoder().encode(gzipped);
            String ns = Benchmark.ns(release % population.namespaces());
            String name = "release-" + release;
            return put(new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1." + name + ".v" + revision)
                    .withNamespace(ns).addToLabels("name", name).addToLabels("owner", "helm")
                    .addToLabels("status", revision == revisions ? "deployed" : "superseded")
                    .addToLabels("version", String.valueOf(revision)).addToLabels("modifiedAt", "1764633600")
                    .endMetadata().withType("helm.sh/release.v1")
                    .addToData("release", Base64.getEncoder().encodeToString(stored)).build(), "secrets");
        }).sum();
    }

    private long put(HasMetadata object, String plural) {
        ObjectMeta meta = object.getMetadata();
        meta.setUid(UUID.randomUUID().toString());
        meta.setCreationTimestamp(created);
        meta.setResourceVersion(String.valueOf(store.nextResourceVersion()));
        meta.setGeneration(1L); // the mock's patch handler copies it from the stored object
        String json = Serialization.asJson(object);
        String group = object instanceof Deployment ? "/apis/apps/v1" : "/api/v1";
        store.load(group + "/namespaces/" + meta.getNamespace() + "/" + plural, json);
        return json.length();
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
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(c.build()).endSpec().endTemplate().endSpec().build();
    }
}
