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
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the container image without a Docker daemon (run by Maven in pre-integration-test): a {@code jlink}ed
 * runtime, the C libraries it links against (copied from the build machine), the jar and a class-data archive, on
 * an empty ({@code scratch}) base, written with Jib as a tarball that {@code docker load},
 * {@code kind load image-archive} or {@code crane push} accept. Runs as UID 65534 and needs only /tmp writable.
 *
 * <p>The runtime is linked from {@code --jdk=} (Maven's {@code image.jdk}, Temurin 25 by default; the bytecode
 * stays Java 17), with only the modules the controller uses and uncompressed modules (the layer's gzip packs them
 * better than jlink's zip does). The class-data archive is one static archive of the JDK's and the controller's
 * classes, dumped from a committed class list ({@link ClassList}, trained on a controller run): JDK 21 and later
 * dump that byte for byte the same every time, which JDK 17 and every archive made at the exit of a run do not.
 *
 * <p>Reproducible: every file has a fixed time and mode, the jar's entries are sorted, labels and the creation
 * time come from the commit, and the image SBOM is written from the same inputs.
 *
 * <p>Arguments: jar, work directory, output tarball, image reference, then {@code --version=}, {@code --source=},
 * {@code --revision=} (default: git), {@code --created=} (default: the commit's time), {@code --jar-sbom=},
 * {@code --sbom=} (the image SBOM to write), {@code --cache=} (the jlinked runtime, see {@link RuntimeCache}),
 * {@code --jdk=}, {@code --classlist=} and {@code --train=true} (train the class list again before building).
 */
public final class ImageBuilder {
    /**
     * What {@code jdeps} finds in the jar and the run needs: logging, JMX for the JVM metrics, JNDI (Vert.x reads
     * certificate names with it), the HTTP client of the webhook sender, XML for logback's configuration, EC keys
     * for TLS (in java.base since JDK 22; the module remains) and sun.misc.Unsafe for Netty.
     */
    static final List<String> MODULES = List.of("java.base", "java.logging", "java.management", "jdk.management",
            "java.naming", "java.net.http", "java.xml", "jdk.crypto.ec", "jdk.unsupported");
    /** Uncompressed modules: inside a gzipped layer they take 12.7 MB, zip-6 compressed ones 17.8 MB. */
    static List<String> jlinkOptions(int feature) {
        return List.of("--strip-debug", "--no-header-files", "--no-man-pages",
                "--compress=" + (feature >= 21 ? "zip-0" : "0"));
    }
    /** The JDK the image's runtime is linked from when {@code --jdk=} is not given: the build's own. */
    static final Path BUILD_JDK = Path.of(System.getProperty("java.home"));
    /** Pinned for the dump, so the archive does not depend on the build machine's size (G1 archives objects). */
    static final List<String> DUMP_FLAGS = List.of("-XX:+UseG1GC", "-Xmx256m", "-XX:ActiveProcessorCount=2");

    /**
     * The flags the archive is dumped and run with alike: with compact object headers (JDK 25 on) the JVM maps
     * only an archive dumped with them, so they are in the entrypoint, not in the overridable environment.
     */
    static List<String> archiveFlags(int feature) {
        return feature >= 25 ? List.of(JvmFlags.FROM_JDK_25) : List.of();
    }
    static final String JAVA = "/opt/java";
    static final String APP = "/app";
    /**
     * The JVM flags are in JDK_JAVA_OPTIONS (see {@link #ENVIRONMENT}), so a deployment can override them; those
     * the class-data archive needs ({@link #archiveFlags}) are here.
     */
    static List<String> entrypoint(int feature) {
        List<String> cmd = new ArrayList<>(List.of(JAVA + "/bin/java"));
        cmd.addAll(archiveFlags(feature));
        cmd.addAll(List.of("-XX:SharedArchiveFile=reloader.jsa", "-Xshare:auto", "-XX:+ExitOnOutOfMemoryError",
                "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-Dvertx.disableFileCPResolving=true",
                "-Dvertx.disableFileCaching=true", "-jar", "reloader.jar"));
        return List.copyOf(cmd);
    }
    /** The collector and heap settings the benchmark chose, and glibc's malloc arenas kept few. */
    static final Map<String, String> ENVIRONMENT = environment();
    /** What Jib gives every file; the class-data archive records the jar's time, so both must agree. */
    private static final Instant FILE_TIME = Instant.ofEpochSecond(1);
    /** The project's home, for the source label; {@code --source=} overrides it. */
    static final String SOURCE = "https://github.com/reloader-java/reloader";
    /** As the pom's licenses section says. */
    static final String LICENSE = "Apache-2.0";

    private static Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>(JvmFlags.ENVIRONMENT);
        env.put("JDK_JAVA_OPTIONS", JvmFlags.RECOMMENDED);
        return env;
    }

    private ImageBuilder() {
    }

    /** What to build and how to describe it; the options follow Maven's {@code exec} arguments. */
    record Build(Path jar, Path work, Path tar, String reference, String version, String source, String revision,
                 Instant created, Path jarSbom, Path sbom, Path cache, Path jdk, Path classList, boolean train) {
        /** Arguments: jar, work directory, output tarball, image reference, then {@code --name=value} options. */
        static Build parse(String[] args) throws IOException, InterruptedException {
            Map<String, String> o = new TreeMap<>();
            for (int i = 4; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                o.put(args[i].substring(2, eq), args[i].substring(eq + 1));
            }
            String revision = o.containsKey("revision") ? o.get("revision") : Git.revision();
            Instant created = o.containsKey("created") ? Instant.parse(o.get("created")) : Git.commitTime();
            return new Build(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), args[3],
                    o.getOrDefault("version", "dev"), o.getOrDefault("source", SOURCE), revision, created,
                    o.containsKey("jar-sbom") ? Path.of(o.get("jar-sbom")) : null,
                    o.containsKey("sbom") ? Path.of(o.get("sbom")) : null,
                    o.containsKey("cache") ? Path.of(o.get("cache")) : null,
                    o.containsKey("jdk") ? Path.of(o.get("jdk")) : BUILD_JDK,
                    Path.of(o.getOrDefault("classlist", ClassList.DEFAULT.toString())),
                    Boolean.parseBoolean(o.getOrDefault("train", "false")));
        }
    }

    public static void main(String[] args) throws Exception {
        Build b = Build.parse(args);
        String digest = build(b);
        System.out.println("image " + b.reference() + " (" + digest + ") written to " + b.tar() + " ("
                + Files.size(b.tar()) / 1024 / 1024 + " MiB)" + (b.sbom() == null ? "" : ", SBOM " + b.sbom()));
    }

    /** Builds the image tarball (and its SBOM when asked); returns the image digest. */
    static String build(Build b) throws IOException, InterruptedException {
        Path work = b.work();
        deleteRecursively(work);
        Files.createDirectories(work);
        Jdk jdk = Jdk.at(b.jdk());
        Path jre = RuntimeCache.runtime(b.cache(), work, jdk, out -> jlink(jdk, out));
        Path app = work.resolve("app");
        Files.createDirectories(app);
        normalizedJar(b.jar(), app.resolve("reloader.jar"));
        Files.setLastModifiedTime(app.resolve("reloader.jar"), FileTime.from(FILE_TIME));
        if (b.train()) {
            ClassList.train(jre, app, b.classList());
        }
        classDataArchive(jre, app, b.classList(), jdk.feature());

        Map<String, Path> libraries = systemLibraries(jre);
        JibContainerBuilder image = Jib.fromScratch()
                .setCreationTime(b.created())
                .setUser("65534:65534")
                .setWorkingDirectory(AbsoluteUnixPath.get(APP))
                .setEnvironment(ENVIRONMENT)
                .setExposedPorts(Set.of(Port.tcp(9090)))
                .setEntrypoint(entrypoint(jdk.feature()))
                .setLabels(labels(b));
        FileEntriesLayer.Builder libs = FileEntriesLayer.builder().setName("system-libraries");
        libraries.forEach((inImage, file) -> libs.addEntry(file, AbsoluteUnixPath.get(inImage),
                FilePermissions.fromOctalString("755"), FILE_TIME));
        image.addFileEntriesLayer(libs.build());
        image.addFileEntriesLayer(directoryLayer("jre", jre, JAVA));
        image.addFileEntriesLayer(FileEntriesLayer.builder().setName("app")
                .addEntry(app.resolve("reloader.jar"), AbsoluteUnixPath.get(APP + "/reloader.jar"),
                        FilePermissions.fromOctalString("644"), FILE_TIME)
                .addEntry(app.resolve("reloader.jsa"), AbsoluteUnixPath.get(APP + "/reloader.jsa"),
                        FilePermissions.fromOctalString("644"), FILE_TIME)
                .build());
        Files.createDirectories(b.tar().toAbsolutePath().getParent());
        String digest;
        try {
            digest = image.containerize(Containerizer.to(TarImage.at(b.tar()).named(b.reference())))
                    .getDigest().toString();
        } catch (Exception e) {
            throw new IllegalStateException("writing the image failed: " + e.getMessage(), e);
        }
        // Beside the tarball, as Jib's plugins write it: what a registry will call the image once pushed.
        Files.writeString(digestFile(b.tar()), digest + "\n");
        if (b.sbom() != null) {
            String name = b.reference().replaceAll(":[^:/]*$", "");
            Files.createDirectories(b.sbom().toAbsolutePath().getParent());
            Files.writeString(b.sbom(), ImageSbom.write(new ImageSbom.Identity(name, b.version(), b.source(),
                    b.revision(), b.created().toString()), app.resolve("reloader.jar"), b.jarSbom(), jre, jdk.home(),
                    libraries));
        }
        return digest;
    }

    /** {@code reloader-image.tar} → {@code reloader-image.digest}. */
    static Path digestFile(Path tar) {
        return tar.resolveSibling(tar.getFileName().toString().replaceAll("\\.tar$", "") + ".digest");
    }

    /** The OCI annotations as image labels; created is the commit's time, so a rebuild gives the same image. */
    static Map<String, String> labels(Build b) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("org.opencontainers.image.title", "reloader-java");
        labels.put("org.opencontainers.image.description", "Drop-in replacement for Stakater Reloader");
        labels.put("org.opencontainers.image.source", b.source());
        labels.put("org.opencontainers.image.url", b.source());
        labels.put("org.opencontainers.image.revision", b.revision());
        labels.put("org.opencontainers.image.version", b.version());
        labels.put("org.opencontainers.image.licenses", LICENSE);
        labels.put("org.opencontainers.image.created", b.created().toString());
        return labels;
    }

    /**
     * The jar with its entries sorted (the manifest first) and a fixed time: the shade plugin writes its merged
     * service files in an order that changes from build to build, and so would the image's digest.
     */
    static void normalizedJar(Path jar, Path out) throws IOException {
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(jar.toFile());
             java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(out))) {
            List<String> names = new ArrayList<>(in.stream().map(java.util.zip.ZipEntry::getName).toList());
            names.sort(Comparator.comparing((String n) -> !n.equals("META-INF/")).thenComparing(n ->
                    !n.equals("META-INF/MANIFEST.MF")).thenComparing(Comparator.naturalOrder()));
            for (String name : names) {
                java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry(name);
                entry.setTimeLocal(java.time.LocalDateTime.of(2026, 1, 1, 0, 0));
                zip.putNextEntry(entry);
                try (var data = in.getInputStream(in.getEntry(name))) {
                    data.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
    }

    /** A JDK to link the image's runtime from. */
    record Jdk(Path home, int feature, String version) {
        static Jdk at(Path home) throws IOException {
            if (!Files.isExecutable(home.resolve("bin/jlink")) || !Files.exists(home.resolve("release"))) {
                throw new IllegalStateException("the image's runtime is linked from -Dimage.jdk=" + home
                        + ", which is not a JDK (no bin/jlink): point image.jdk at a JDK 21 or later, or skip the"
                        + " image with -Dimage.skip=true");
            }
            Properties release = new Properties();
            try (var in = Files.newInputStream(home.resolve("release"))) {
                release.load(in);
            }
            String version = release.getProperty("JAVA_VERSION", "").replace("\"", "");
            int feature = Integer.parseInt(version.split("[.+-]")[0]);
            if (feature < 21) {
                System.err.println("warning: a JDK " + feature + " runtime does not dump class-data archives"
                        + " reproducibly; two builds of the image will differ (use JDK 21 or later)");
            }
            return new Jdk(home, feature, version);
        }
    }

    private static void jlink(Jdk jdk, Path output) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jdk.home().resolve("bin/jlink").toString(),
                "--add-modules", String.join(",", MODULES), "--output", output.toString()));
        cmd.addAll(jlinkOptions(jdk.feature()));
        run(cmd, null, "jlink");
    }

    /**
     * The class-data archive: a static dump of the committed class list by the image's own runtime, with the jar
     * at the relative path and with the time the entrypoint sees (the archive records both and is refused when
     * they differ). It holds the JDK's classes too, so the runtime needs no archive of its own.
     */
    private static void classDataArchive(Path jre, Path app, Path classList, int feature) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jre.toAbsolutePath().resolve("bin/java").toString()));
        cmd.addAll(DUMP_FLAGS);
        cmd.addAll(archiveFlags(feature));
        // Relative paths only, so that no path of the build machine can reach the archive.
        Path list = app.resolve("reloader.classlist");
        Files.copy(classList, list);
        cmd.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=reloader.classlist",
                "-XX:SharedArchiveFile=reloader.jsa", "-cp", "reloader.jar"));
        run(cmd, app, "the class-data dump");
        Files.delete(list);
        if (!Files.exists(app.resolve("reloader.jsa"))) {
            throw new IllegalStateException("the class-data dump wrote no archive");
        }
    }

    /** Runs a build tool, its output kept and shown only when it fails. */
    private static void run(List<String> cmd, Path dir, String what) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(what + " failed with exit code " + p.exitValue() + ": " + cmd + "\n"
                    + out);
        }
    }

    /** The shared libraries the runtime links against, resolved with ldd on this machine, at the same paths. */
    private static Map<String, Path> systemLibraries(Path jre) throws IOException, InterruptedException {
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
        return libs;
    }

    private static FileEntriesLayer directoryLayer(String name, Path dir, String target) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                boolean exec = rel.startsWith("bin/") || rel.endsWith(".so") || rel.equals("lib/jspawnhelper");
                layer.addEntry(p, AbsoluteUnixPath.get(target + "/" + rel),
                        FilePermissions.fromOctalString(exec ? "755" : "644"), FILE_TIME);
            }
        }
        return layer.build();
    }

    static void deleteRecursively(Path dir) throws IOException {
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
