package io.reloader.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExplainCommandTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: app-config}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations: {reloader.stakater.com/auto: "true"}
            spec:
              template:
                spec:
                  containers:
                  - name: app
                    envFrom: [{configMapRef: {name: app-config}}]
            """;

    private record Run(int exit, String out) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(args, Map.of()), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    @Test
    void aCleanDirectoryExitsZeroAndSaysWhatReloads() throws Exception {
        Files.createDirectories(dir.resolve("apps/web"));
        Files.writeString(dir.resolve("apps/web/all.yaml"), GOOD);
        Run r = run("explain", dir.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("ConfigMap default/app-config")
                .contains("-> Deployment default/web  (auto: reloader.stakater.com/auto, container app)");
    }

    @Test
    void anInvalidAnnotationExitsOneAndJsonIsAvailable() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), GOOD.replace("reloader.stakater.com/auto: \"true\"",
                "configmap.reloader.stakater.com/reload: \"[bad\""));
        Run r = run("explain", dir.resolve("bad.yaml").toString(), "-o", "json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("{\"sources\":").contains("\"severity\":\"error\"");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("explain").exit()).isEqualTo(2);
        assertThat(run("explain", dir.resolve("missing").toString()).exit()).isEqualTo(2);
        assertThat(run("explain", dir.toString(), "-o", "yaml").exit()).isEqualTo(2);
    }

    @Test
    void customKindsAndFollowedKeysAreExplained() throws Exception {
        Files.writeString(dir.resolve("all.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: shared}
                ---
                apiVersion: apps.kruise.io/v1alpha1
                kind: CloneSet
                metadata:
                  name: web
                  annotations: {reloader.stakater.com/auto: "true"}
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        env:
                        - name: LEVEL
                          valueFrom: {configMapKeyRef: {name: shared, key: log-level}}
                """);
        Run r = run("explain", "--custom-workload-types=apps.kruise.io/v1alpha1/CloneSet", "--referenced-keys-only",
                dir.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("-> CloneSet default/web").contains("keys log-level");
    }
}
