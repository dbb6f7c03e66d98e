package io.reloader.it;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.Workloads.envFromSecret;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** After the controller processed Secrets, a heap dump of its process holds no copy of their values. */
class SecretsInMemoryIT extends HarnessIT {
    private static final String FIRST = "Zq7-first-UNIQUE-s3cr3t-0xC0FFEE";
    private static final String SECOND = "Zq7-second-UNIQUE-s3cr3t-0xBADF00D";
    /** Only ever in kubectl's last-applied-configuration annotation and in binaryData. */
    private static final String APPLIED = "Zq7-applied-UNIQUE-s3cr3t-0xFEEDBEEF";
    private static final String BINARY = "Zq7-binary-UNIQUE-s3cr3t-0xDEADC0DE";
    private Process process;
    @TempDir
    Path tmp;

    /**
     * Over TLS, as against every real API server: the bytes the controller receives are decrypted in its own
     * process, so the heap is searched for what that leaves behind too.
     */
    @Override
    protected boolean https() {
        return true;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aHeapDumpHoldsNoSecretValue() throws Exception {
        h.client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("db")
                .withNamespace("shop").endMetadata().addToData("password", b64(FIRST)).build()).create();
        // As `kubectl apply` (client-side) and Argo CD leave a Secret: the annotation repeats the data.
        h.client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("applied")
                .withNamespace("shop").addToAnnotations("kubectl.kubernetes.io/last-applied-configuration",
                        "{\"apiVersion\":\"v1\",\"data\":{\"token\":\"" + b64(APPLIED) + "\"},\"kind\":\"Secret\","
                                + "\"metadata\":{\"name\":\"applied\",\"namespace\":\"shop\"}}")
                .endMetadata().addToData("token", b64(APPLIED)).build()).create();
        h.client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("binary")
                .withNamespace("shop").endMetadata().addToData("blob", b64(BINARY)).build()).create();
        h.client.configMaps().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("binary").withNamespace("shop").endMetadata()
                .addToBinaryData("blob", b64(BINARY + "-cm")).build()).create();
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "api", Map.of("reloader.stakater.com/auto", "true"),
                envFromSecret("db")));
        h.create(workload(WorkloadKind.DEPLOYMENT, "shop", "cli", Map.of("reloader.stakater.com/auto", "true"),
                envFromSecret("applied")));
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: m\n  cluster:\n    server: "
                + h.server.url("/").replaceAll("/$", "") + "\n    insecure-skip-tls-verify: true\ncontexts:\n"
                + "- name: m\n  context: {cluster: m, user: m}\n"
                + "current-context: m\nusers:\n- name: m\n  user: {token: t}\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-jar", "target/reloader.jar", "--http-port=0",
                "--coalesce-window=0s", "--log-level=trace").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.log").toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        process = pb.start();
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(Files.readString(tmp.resolve("out.log"))).contains("Reloader is ready"));

        h.client.secrets().inNamespace("shop").withName("db").edit(s -> new SecretBuilder(s)
                .addToData("password", b64(SECOND)).build());
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "api", "app", "STAKATER_DB_SECRET")).isNotNull());
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(Files.readString(tmp.resolve("out.log"))).contains("Changes detected in 'db' of type 'SECRET'"));
        // An update that keeps the data: the store's old copy and the new object pass through the informer.
        h.client.secrets().inNamespace("shop").withName("applied").edit(s -> new SecretBuilder(s).editMetadata()
                .addToLabels("touched", "yes").endMetadata().build());
        h.client.secrets().inNamespace("shop").withName("applied").edit(s -> new SecretBuilder(s)
                .addToData("token", b64(APPLIED + "-2")).build());
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(h.env(WorkloadKind.DEPLOYMENT, "shop", "cli", "app", "STAKATER_APPLIED_SECRET")).isNotNull());

        Path dump = tmp.resolve("heap.hprof");
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process dumper = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.heap_dump", dump.toString())
                .redirectErrorStream(true).start();
        assertThat(dumper.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dump).exists();
        byte[] heap = Files.readAllBytes(dump);
        for (String secret : List.of(FIRST, SECOND, APPLIED, BINARY, BINARY + "-cm")) {
            for (byte[] needle : List.of(secret.getBytes(StandardCharsets.UTF_8),
                    secret.getBytes(StandardCharsets.UTF_16LE), secret.getBytes(StandardCharsets.UTF_16BE),
                    b64(secret).getBytes(StandardCharsets.US_ASCII))) {
                assertThat(indexOf(heap, needle)).as("copy of a secret value (%d bytes) in the heap dump", needle.length)
                        .isEqualTo(-1);
            }
        }
        assertThat(Files.readString(tmp.resolve("out.log"))).doesNotContain(FIRST).doesNotContain(SECOND)
                .doesNotContain(b64(FIRST)).doesNotContain(b64(SECOND));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
