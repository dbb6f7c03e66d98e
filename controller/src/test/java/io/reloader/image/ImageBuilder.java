package io.reloader.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import io.reloader.cli.JvmFlags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Builds the container image without a Docker daemon (run by Maven in pre-integration-test): a {@code jlink}ed
 * runtime with class-data sharing, the C libraries it links against (copied from the build machine), and the
 * jar, on an empty ({@code scratch}) base, written with Jib as a tarball that {@code docker load},
 * {@code kind load image-archive} or {@code crane push} accept. Runs as UID 65534 and needs only /tmp writable.
 *
 * <p>Arguments: jar, work directory, output tarball, image reference.
 */
public final class ImageBuilder {
    static final List<String> MODULES = List.of("java.base", "java.logging", "java.management", "jdk.management",
            "java.naming", "java.net.http", "java.xml", "jdk.crypto.ec", "jdk.httpserver", "jdk.unsupported",
            "java.security.jgss", "jdk.zipfs");
    static final String JAVA = "/opt/java";
    static final String APP = "/app";
    /** The JVM flags are in JDK_JAVA_OPTIONS (see {@link #ENVIRONMENT}), so a deployment can override them. */
    static final List<String> ENTRYPOINT = List.of(JAVA + "/bin/java",
            "-XX:SharedArchiveFile=reloader.jsa", "-Xshare:auto", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData",
            "-Djava.io.tmpdir=/tmp", "-Dvertx.disableFileCPResolving=true", "-Dvertx.disableFileCaching=true",
            "-jar", "reloader.jar");
    /** The collector and heap settings the benchmark chose, and glibc's malloc arenas kept few. */
    static final Map<String, String> ENVIRONMENT = environment();
    /** What Jib gives every file; the class-data archive records the jar's time, so both must agree. */
    private static final Instant FILE_TIME = Instant.ofEpochSecond(1);

    private static Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>(JvmFlags.ENVIRONMENT);
        env.put("JDK_JAVA_OPTIONS", JvmFlags.RECOMMENDED);
        return env;
    }

    private ImageBuilder() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Path tar = Path.of(args[2]);
        String reference = args[3];
        Path jre = work.resolve("jre");
        deleteRecursively(work);
        Files.createDirectories(work);
        jlink(jre);
        Path app = work.resolve("app");
        Files.createDirectories(app);
        Files.copy(jar, app.resolve("reloader.jar"));
        Files.setLastModifiedTime(app.resolve("reloader.jar"), FileTime.from(FILE_TIME));
        classDataArchive(jre, app);

        JibContainerBuilder image = Jib.fromScratch()
                .setCreationTime(Instant.EPOCH)
                .setUser("65534:65534")
                .setWorkingDirectory(AbsoluteUnixPath.get(APP))
                .setEnvironment(ENVIRONMENT)
                .setExposedPorts(Set.of(Port.tcp(9090)))
                .setEntrypoint(ENTRYPOINT)
                .addLabel("org.opencontainers.image.title", "reloader-java")
                .addLabel("org.opencontainers.image.description", "Drop-in replacement for Stakater Reloader");
        image.addFileEntriesLayer(systemLibraries(jre));
        image.addFileEntriesLayer(directoryLayer("jre", jre, JAVA));
        image.addFileEntriesLayer(FileEntriesLayer.builder().setName("app")
                .addEntry(app.resolve("reloader.jar"), AbsoluteUnixPath.get(APP + "/reloader.jar"),
                        FilePermissions.fromOctalString("644"), FILE_TIME)
                .addEntry(app.resolve("reloader.jsa"), AbsoluteUnixPath.get(APP + "/reloader.jsa"),
                        FilePermissions.fromOctalString("644"), FILE_TIME)
                .build());
        Files.createDirectories(tar.getParent());
        image.containerize(Containerizer.to(TarImage.at(tar).named(reference)));
        System.out.println("image " + reference + " written to " + tar + " (" + Files.size(tar) / 1024 / 1024 + " MiB)");
    }

    private static void jlink(Path output) {
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() ->
                new IllegalStateException("jlink not found: build with a JDK"));
        int rc = jlink.run(System.out, System.err, "--add-modules", String.join(",", MODULES), "--output",
                output.toString(), "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=" + (Runtime.version().feature() >= 21 ? "zip-6" : "2"),
                "--generate-cds-archive");
        if (rc != 0) {
            throw new IllegalStateException("jlink failed with exit code " + rc);
        }
    }

    /**
     * An application class-data archive, dumped by the image's own runtime running the controller against an
     * in-process API server until it has reloaded a Deployment (informers, the reference index, a patch: the
     * classes a real start loads), with the jar at the relative path the entrypoint uses. It halves the time to
     * the first API request.
     */
    private static void classDataArchive(Path jre, Path app) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jre.resolve("bin/java").toString()));
        cmd.addAll(List.of(JvmFlags.RECOMMENDED.split(" ")));
        cmd.addAll(List.of("-XX:ArchiveClassesAtExit=reloader.jsa", "-Dvertx.disableFileCPResolving=true",
                "-Dvertx.disableFileCaching=true", "-jar", "reloader.jar"));
        ControllerRun.untilReloaded(cmd, app, JvmFlags.ENVIRONMENT);
        if (!Files.exists(app.resolve("reloader.jsa"))) {
            throw new IllegalStateException("the training run wrote no class-data archive");
        }
    }

    /** The shared libraries the runtime links against, resolved with ldd on this machine, at the same paths. */
    private static FileEntriesLayer systemLibraries(Path jre) throws IOException, InterruptedException {
        TreeMap<String, Path> libs = new TreeMap<>();
        List<Path> binaries = new ArrayList<>();
        binaries.add(jre.resolve("bin/java"));
        try (Stream<Path> s = Files.walk(jre.resolve("lib"))) {
            s.filter(p -> p.toString().endsWith(".so")).forEach(binaries::add);
        }
        for (Path binary : binaries) {
            Process p = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String line : out.split("\n")) {
                String l = line.trim();
                if (l.contains("=> /")) {
                    String target = l.substring(l.indexOf("=> ") + 3).split(" ")[0];
                    if (!target.startsWith(jre.toAbsolutePath().toString())) {
                        libs.put(target, Path.of(target).toRealPath());
                    }
                } else if (l.startsWith("/")) {
                    String loader = l.split(" ")[0];
                    libs.put(loader, Path.of(loader).toRealPath());
                }
            }
        }
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("system-libraries");
        libs.forEach((inImage, file) -> layer.addEntry(file, AbsoluteUnixPath.get(inImage),
                FilePermissions.fromOctalString("755")));
        return layer.build();
    }

    private static FileEntriesLayer directoryLayer(String name, Path dir, String target) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                boolean exec = rel.startsWith("bin/") || rel.endsWith(".so") || rel.equals("lib/jspawnhelper");
                layer.addEntry(p, AbsoluteUnixPath.get(target + "/" + rel),
                        FilePermissions.fromOctalString(exec ? "755" : "644"));
            }
        }
        return layer.build();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
