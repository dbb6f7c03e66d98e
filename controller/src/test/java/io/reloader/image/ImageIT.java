package io.reloader.image;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unpacks the image tarball the build wrote (target/reloader-image.tar): user, entrypoint, ports, layers and
 * size, that its jar holds no test or tooling code, and runs the controller with the runtime and jar taken from the
 * layers until it reloads a Deployment, proving the jlinked runtime has every module the controller needs. Skipped with {@code -Dimage.skip=true}, which also skips building the image.
 */
@DisabledIfSystemProperty(named = "image.skip", matches = "true",
        disabledReason = "-Dimage.skip=true skips building the image, so there is no tarball to check")
class ImageIT {
    private static final Path TAR = Path.of("target", "reloader-image.tar");
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    @Test
    void imageRunsAsNonRootFromAJlinkedRuntimeAndStaysSmall() throws Exception {
        // 80 MiB before the application class-data archive (~15 MiB compressed), which halves the time to the
        // first API request; a JDK 25 runtime is a few MiB larger than a JDK 17 one.
        assertThat(Files.size(TAR)).as("image tarball size").isLessThan(96L * 1024 * 1024);
        Path unpacked = dir.resolve("tar");
        untar(TAR, unpacked);
        List<Map<String, Object>> manifest = Serialization.unmarshal(Files.readString(unpacked.resolve("manifest.json")),
                List.class);
        Map<String, Object> entry = manifest.get(0);
        Map<String, Object> config = Serialization.unmarshal(Files.readString(unpacked.resolve((String) entry.get("Config"))),
                Map.class);
        Map<String, Object> c = (Map<String, Object>) config.get("config");
        assertThat(c.get("User")).isEqualTo("65534:65534");
        assertThat((List<String>) c.get("Entrypoint")).startsWith("/opt/java/bin/java").endsWith("-jar", "reloader.jar")
                .contains("-XX:-UsePerfData", "-Xshare:auto", "-XX:SharedArchiveFile=reloader.jsa");
        assertThat(c.get("WorkingDir")).isEqualTo("/app");
        List<String> env = (List<String>) c.get("Env");
        assertThat(env).contains("JDK_JAVA_OPTIONS=" + io.reloader.cli.JvmFlags.RECOMMENDED, "MALLOC_ARENA_MAX=2");
        assertThat(((Map<String, Object>) c.get("ExposedPorts"))).containsKey("9090/tcp");
        List<String> layers = (List<String>) entry.get("Layers");
        assertThat(layers).hasSize(3);

        Path root = dir.resolve("root");
        for (String layer : layers) {
            untar(unpacked.resolve(layer), root);
        }
        assertThat(root.resolve("app/reloader.jar")).exists();
        assertThat(root.resolve("app/reloader.jsa")).as("the application's class-data archive").exists();
        assertThat(root.resolve("opt/java/lib/server/classes.jsa")).as("class-data sharing archive").exists();
        assertThat(root.resolve("opt/java/lib/server/libjvm.so")).exists();
        try (var libs = Files.walk(root.resolve("lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("libc.so"));
        }

        assertThat(toolingEntries(root.resolve("app/reloader.jar"))).as("test or tooling classes in the image's jar")
                .isEmpty();

        List<String> cmd = new ArrayList<>();
        for (String arg : (List<String>) c.get("Entrypoint")) {
            cmd.add(arg.startsWith("/opt/") || arg.startsWith("/app/") ? root + arg : arg);
        }
        cmd.set(cmd.indexOf("-Djava.io.tmpdir=/tmp"), "-Djava.io.tmpdir=" + dir);
        // Started as the image starts it: from /app, with its environment; -Xshare:on fails unless the
        // application archive maps (the jar's path, size and time must be the ones it was dumped with).
        cmd.set(cmd.indexOf("-Xshare:auto"), "-Xshare:on");
        Map<String, String> environment = new java.util.HashMap<>();
        for (String e : env) {
            environment.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        String out = ControllerRun.untilReloaded(cmd, root.resolve("app"), environment);
        assertThat(out).contains("updated 'web' of type 'Deployment' in namespace 'training'");
    }

    /** Entries of the in-process API server, its web stack, the tools and the benchmark. */
    private static List<String> toolingEntries(Path jar) throws IOException {
        List<String> prefixes = List.of("io/reloader/bench/", "io/reloader/tools/", "io/fabric8/mockwebserver/",
                "io/fabric8/kubernetes/client/server/mock/", "okhttp3/mockwebserver/", "org/bouncycastle/",
                "io/vertx/ext/web/Router", "io/vertx/ext/web/handler/", "io/vertx/ext/web/impl/");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(n -> prefixes.stream().anyMatch(n::startsWith)).limit(20).toList();
        }
    }

    private static void untar(Path tar, Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        Process p = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", into.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }
}
