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
 * layers, over TLS, until it reloads a Deployment, proving the jlinked runtime has every module the controller
 * needs and that its class-data archive maps and holds what the controller loads. A second build, without the
 * build's cache, must give the same bytes. Skipped with {@code -Dimage.skip=true}, which also skips building the
 * image.
 */
@DisabledIfSystemProperty(named = "image.skip", matches = "true",
        disabledReason = "-Dimage.skip=true skips building the image, so there is no tarball to check")
class ImageIT {
    private static final Path TAR = Path.of("target", "reloader-image.tar");
    /** Issue 24's target, for the tarball (the compressed layers and the config, as a registry stores them). */
    private static final long MAX_IMAGE_BYTES = 60L * 1024 * 1024;
    /**
     * Of the classes a reload run loads, the share the archive must give; 97-98% after training, the rest are
     * hidden classes (lambda forms) and classes of paths the training did not take.
     */
    private static final double MIN_SHARED = 0.90;
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    @Test
    void imageRunsAsNonRootFromAJlinkedRuntimeAndStaysSmall() throws Exception {
        assertThat(Files.size(TAR)).as("image tarball size").isLessThanOrEqualTo(MAX_IMAGE_BYTES);
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
                .contains("-XX:-UsePerfData", "-Xshare:auto", "-XX:SharedArchiveFile=reloader.jsa")
                .containsAll(ImageBuilder.archiveFlags(imageJdk().feature()));
        if (imageJdk().feature() >= 25) {
            assertThat((List<String>) c.get("Entrypoint")).as("the pom's image JDK is 25: compact object headers")
                    .contains("-XX:+UseCompactObjectHeaders");
        }
        assertThat(c.get("WorkingDir")).isEqualTo("/app");
        List<String> env = (List<String>) c.get("Env");
        assertThat(env).contains("JDK_JAVA_OPTIONS=" + io.reloader.cli.JvmFlags.RECOMMENDED, "MALLOC_ARENA_MAX=2");
        assertThat(((Map<String, Object>) c.get("ExposedPorts"))).containsKey("9090/tcp");
        assertThat((Map<String, String>) c.get("Labels")).containsEntry("org.opencontainers.image.licenses", "Apache-2.0")
                .containsEntry("org.opencontainers.image.revision", Git.revision())
                .containsEntry("org.opencontainers.image.created", Git.commitTime().toString())
                .containsKey("org.opencontainers.image.version")
                .hasEntrySatisfying("org.opencontainers.image.source", v -> assertThat(v).startsWith("https://"));
        assertThat(config.get("created")).as("the commit's time, not the build's")
                .isEqualTo(Git.commitTime().toString());
        List<String> layers = (List<String>) entry.get("Layers");
        assertThat(layers).hasSize(3);

        Path root = dir.resolve("root");
        for (String layer : layers) {
            untar(unpacked.resolve(layer), root);
        }
        assertThat(root.resolve("app/reloader.jar")).exists();
        assertThat(root.resolve("app/reloader.jsa")).as("the class-data archive").exists();
        assertThat(root.resolve("opt/java/lib/server/libjvm.so")).exists();
        java.util.Properties release = new java.util.Properties();
        try (var in = Files.newInputStream(root.resolve("opt/java/release"))) {
            release.load(in);
        }
        assertThat(release.getProperty("JAVA_VERSION")).as("the runtime is linked from -Dimage.jdk")
                .isEqualTo("\"" + imageJdk().version() + "\"");
        assertThat(release.getProperty("MODULES").replace("\"", "").split(" ")).as("only the modules it needs")
                .containsAll(ImageBuilder.MODULES).doesNotContain("jdk.jdwp.agent", "jdk.httpserver", "java.desktop",
                        "jdk.compiler", "jdk.jfr", "jdk.zipfs");
        try (var libs = Files.walk(root.resolve("lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("libc.so"));
        }

        assertThat(toolingEntries(root.resolve("app/reloader.jar"))).as("test or tooling classes in the image's jar")
                .isEmpty();
        assertThat(Files.readAllLines(ClassList.DEFAULT)).as("tooling classes in the class-data archive's list")
                .noneMatch(l -> TOOLING.stream().anyMatch(l::startsWith));

        List<String> cmd = new ArrayList<>();
        for (String arg : (List<String>) c.get("Entrypoint")) {
            cmd.add(arg.startsWith("/opt/") || arg.startsWith("/app/") ? root + arg : arg);
        }
        cmd.set(cmd.indexOf("-Djava.io.tmpdir=/tmp"), "-Djava.io.tmpdir=" + dir);
        // Started as the image starts it: from /app, with its environment; -Xshare:on fails unless the
        // application archive maps (the jar's path, size and time must be the ones it was dumped with).
        cmd.set(cmd.indexOf("-Xshare:auto"), "-Xshare:on");
        Path classLoads = dir.resolve("class-load.log");
        cmd.add(1, "-Xlog:class+load=info:file=" + classLoads);
        Map<String, String> environment = new java.util.HashMap<>();
        for (String e : env) {
            environment.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        String out = ControllerRun.untilReloaded(cmd, root.resolve("app"), environment);
        assertThat(out).contains("updated 'web' of type 'Deployment' in namespace 'training'");
        List<String> loads = Files.readAllLines(classLoads).stream().filter(l -> l.contains(" source: ")).toList();
        long shared = loads.stream().filter(l -> l.contains(" source: shared objects file")).count();
        System.out.printf("class-data archive: %d of %d loaded classes shared%n", shared, loads.size());
        assertThat((double) shared / loads.size()).as(shared + " of " + loads.size() + " classes from the archive;"
                + " train the class list again: mvn -DskipTests verify -Dimage.train=true").isGreaterThan(MIN_SHARED);
    }

    /** The JDK the build linked the image's runtime from (the pom's image.jdk, passed on by failsafe). */
    static ImageBuilder.Jdk imageJdk() throws IOException {
        return ImageBuilder.Jdk.at(Path.of(System.getProperty("image.jdk", System.getProperty("java.home"))));
    }

    /** Entries of the in-process API server, its web stack, the tools and the benchmark. */
    private static final List<String> TOOLING = List.of("io/reloader/bench/", "io/reloader/tools/",
            "io/fabric8/mockwebserver/", "io/fabric8/kubernetes/client/server/mock/", "okhttp3/mockwebserver/",
            "org/bouncycastle/", "io/vertx/ext/web/Router", "io/vertx/ext/web/handler/", "io/vertx/ext/web/impl/");

    private static List<String> toolingEntries(Path jar) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(n -> TOOLING.stream().anyMatch(n::startsWith)).limit(20).toList();
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void theBuildWritesSbomsOfTheJarAndOfEverythingInTheImage() throws IOException {
        Map<String, Object> jar = Serialization.unmarshal(Files.readString(Path.of("target", "reloader.cdx.json")), Map.class);
        List<Map<String, Object>> jarLibs = (List<Map<String, Object>>) jar.get("components");
        assertThat(jarLibs).extracting(l -> (String) l.get("purl"))
                .anyMatch(p -> p.startsWith("pkg:maven/io.fabric8/kubernetes-client@8.0.0"))
                .noneMatch(p -> p.contains("junit") || p.contains("jib-core") || p.contains("assertj"));

        Map<String, Object> image = Serialization.unmarshal(Files.readString(Path.of("target", "reloader-image.cdx.json")),
                Map.class);
        assertThat(image).containsEntry("bomFormat", "CycloneDX").containsEntry("specVersion", "1.5");
        List<Map<String, Object>> all = (List<Map<String, Object>>) image.get("components");
        assertThat(all).extracting(x -> (String) x.get("purl")).as("the jar's libraries")
                .containsAll(jarLibs.stream().map(l -> (String) l.get("purl")).toList());
        Map<String, Object> runtime = all.stream().filter(x -> "java-runtime".equals(x.get("bom-ref"))).findFirst()
                .orElseThrow();
        String javaVersion = imageJdk().version();
        assertThat((String) runtime.get("version")).startsWith(javaVersion);
        assertThat(all).filteredOn(x -> "java-runtime".equals(x.get("group"))).extracting(x -> (String) x.get("name"))
                .contains("java.base", "java.net.http", "jdk.crypto.ec").containsAll(ImageBuilder.MODULES);
        assertThat(all).filteredOn(x -> "java.base".equals(x.get("name"))).singleElement()
                .satisfies(x -> assertThat((String) x.get("version")).isEqualTo(javaVersion));
        assertThat(all).as("the C libraries").anySatisfy(x -> assertThat(String.valueOf(x.get("properties")))
                .contains("/libc.so"));
        if (Files.exists(Path.of("/usr/bin/dpkg"))) {
            assertThat(all).as("named by their Debian packages").anySatisfy(x -> assertThat((String) x.get("purl"))
                    .startsWith("pkg:deb/debian/libc6@"));
        }
        assertThat(all).anySatisfy(x -> {
            assertThat(x.get("type")).isEqualTo("application");
            assertThat(x.get("name")).isEqualTo("reloader-java");
            assertThat(String.valueOf(x.get("hashes"))).contains("SHA-256");
        });
    }

    /**
     * The build's image made again in another directory from the same commit, without the build's cache (its own
     * jlink, its own class-data dump): the same digest, the same tarball byte for byte, the same SBOM. Only the
     * jar is shared, and it is reproducible on its own (fixed entry times, sorted entries).
     */
    @SuppressWarnings("unchecked")
    @Test
    void aSecondBuildOfTheSameCommitWithoutTheCacheHasTheSameDigest() throws Exception {
        Path unpacked = dir.resolve("tar");
        untar(TAR, unpacked);
        Map<String, Object> entry = ((List<Map<String, Object>>) Serialization.unmarshal(
                Files.readString(unpacked.resolve("manifest.json")), List.class)).get(0);
        Map<String, Object> config = Serialization.unmarshal(Files.readString(unpacked.resolve((String) entry.get("Config"))),
                Map.class);
        Map<String, String> labels = (Map<String, String>) ((Map<String, Object>) config.get("config")).get("Labels");
        String reference = ((List<String>) entry.get("RepoTags")).get(0);
        ImageBuilder.Build again = new ImageBuilder.Build(Path.of("target", "reloader.jar"), dir.resolve("work"),
                dir.resolve("reloader-image.tar"), reference, labels.get("org.opencontainers.image.version"),
                labels.get("org.opencontainers.image.source"), labels.get("org.opencontainers.image.revision"),
                java.time.Instant.parse(labels.get("org.opencontainers.image.created")),
                Path.of("target", "reloader.cdx.json"), dir.resolve("reloader-image.cdx.json"), null,
                imageJdk().home(), ClassList.DEFAULT, false);
        assertThat(again.revision()).isEqualTo(Git.revision());

        String digest = ImageBuilder.build(again);

        assertThat(digest).isEqualTo(Files.readString(ImageBuilder.digestFile(TAR)).trim());
        assertThat(Files.readAllBytes(again.tar())).as("byte for byte").isEqualTo(Files.readAllBytes(TAR));
        assertThat(Files.readString(again.sbom())).isEqualTo(Files.readString(Path.of("target",
                "reloader-image.cdx.json")));
        // What differs between commits reaches the image config, so equal digests are not an accident.
        ImageBuilder.Build other = new ImageBuilder.Build(again.jar(), again.work(), again.tar(), reference,
                again.version(), again.source(), "0000000000000000000000000000000000000000", again.created(),
                again.jarSbom(), again.sbom(), null, again.jdk(), again.classList(), false);
        assertThat(ImageBuilder.labels(other)).isNotEqualTo(ImageBuilder.labels(again));
    }

    private static void untar(Path tar, Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        Process p = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", into.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }
}
