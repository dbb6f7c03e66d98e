package io.reloader.image;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A CycloneDX SBOM of what the image holds, so that scanners see all of it: the controller jar and the libraries
 * shaded into it (from the jar's own SBOM, {@code target/reloader.cdx.json}), the jlinked Java runtime and each
 * of its modules with the JDK's version, and the C libraries copied from the build machine, named by the Debian
 * package they come from where dpkg knows it. Deterministic: the same inputs give the same bytes.
 */
final class ImageSbom {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** What the image is: its reference without tag, version, source and revision, and its creation time. */
    record Identity(String name, String version, String source, String revision, String created) {
    }

    private ImageSbom() {
    }

    /**
     * @param jar       the controller jar as built
     * @param jarSbom   the jar's CycloneDX SBOM (Maven's plugin), or null when there is none
     * @param jre       the jlinked runtime
     * @param jdk       the JDK it was linked from
     * @param libraries the C libraries: path in the image → file on this machine
     */
    @SuppressWarnings("unchecked")
    static String write(Identity id, Path jar, Path jarSbom, Path jre, Path jdk, Map<String, Path> libraries)
            throws IOException, InterruptedException {
        List<Object> components = new ArrayList<>();
        Map<String, Object> app = component("application", "reloader-java", id.version());
        app.put("bom-ref", "reloader-java");
        app.put("purl", "pkg:maven/io.reloader/reloader-java@" + id.version() + "?type=jar");
        app.put("hashes", List.of(sha256(jar)));
        app.put("properties", List.of(property("location", ImageBuilder.APP + "/reloader.jar")));
        components.add(app);
        if (jarSbom != null && Files.exists(jarSbom)) {
            Map<String, Object> bom = JSON.unmarshal(Files.readString(jarSbom), Map.class);
            TreeMap<String, Map<String, Object>> libs = new TreeMap<>();
            for (Object o : (List<Object>) bom.getOrDefault("components", List.of())) {
                Map<String, Object> lib = new LinkedHashMap<>((Map<String, Object>) o);
                lib.put("properties", List.of(property("location", ImageBuilder.APP + "/reloader.jar (shaded)")));
                libs.put(String.valueOf(lib.getOrDefault("purl", lib.get("name"))), lib);
            }
            components.addAll(libs.values());
        } else {
            components.addAll(shadedLibraries(jar)); // Maven offline skips the plugin: the jar's own records
        }
        components.addAll(runtime(jre, jdk));
        components.addAll(cLibraries(libraries));

        Map<String, Object> image = component("container", id.name(), id.version());
        image.put("bom-ref", "image");
        image.put("properties", List.of(property("org.opencontainers.image.source", id.source()),
                property("org.opencontainers.image.revision", id.revision())));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("timestamp", id.created());
        metadata.put("tools", Map.of("components", List.of(component("application", "reloader-java ImageBuilder",
                id.version()))));
        metadata.put("component", image);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("bomFormat", "CycloneDX");
        doc.put("specVersion", "1.5");
        doc.put("serialNumber", "");
        doc.put("version", 1);
        doc.put("metadata", metadata);
        doc.put("components", components);
        // Same content, same serial number: a build of the same commit writes the same file.
        doc.put("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes(JSON.asJson(doc).getBytes(StandardCharsets.UTF_8)));
        return JSON.asJson(doc);
    }

    /** The libraries shaded into the jar, from the {@code META-INF/maven/.../pom.properties} each one brought. */
    private static List<Object> shadedLibraries(Path jar) throws IOException {
        TreeMap<String, Object> out = new TreeMap<>();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                if (!e.getName().startsWith("META-INF/maven/") || !e.getName().endsWith("/pom.properties")) {
                    continue;
                }
                Properties p = new Properties();
                try (var in = zip.getInputStream(e)) {
                    p.load(in);
                }
                String g = p.getProperty("groupId");
                String a = p.getProperty("artifactId");
                String v = p.getProperty("version");
                if (g == null || a == null || v == null || "io.reloader".equals(g)) {
                    continue;
                }
                Map<String, Object> lib = component("library", a, v);
                lib.put("group", g);
                String purl = "pkg:maven/" + g + "/" + a + "@" + v + "?type=jar";
                lib.put("bom-ref", purl);
                lib.put("purl", purl);
                lib.put("properties", List.of(property("location", ImageBuilder.APP + "/reloader.jar (shaded)")));
                out.put(purl, lib);
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The runtime, named by the Debian package its modules come from (else the JDK's implementor), and its modules. */
    private static List<Object> runtime(Path jre, Path jdkHome) throws IOException, InterruptedException {
        Properties release = new Properties();
        try (var in = Files.newBufferedReader(jre.resolve("release"))) {
            release.load(in);
        }
        String version = unquote(release.getProperty("JAVA_VERSION", ""));
        String implementor = unquote(release.getProperty("IMPLEMENTOR", ""));
        List<Object> out = new ArrayList<>();
        Map<String, Object> jdk = component("framework", "java-runtime", unquote(release.getProperty("JAVA_RUNTIME_VERSION", version)));
        jdk.put("bom-ref", "java-runtime");
        if (!implementor.isEmpty()) {
            jdk.put("supplier", Map.of("name", implementor));
        }
        Package pkg = Package.of(jdkHome.resolve("lib").resolve("modules"));
        List<Map<String, String>> props = new ArrayList<>(List.of(property("location", ImageBuilder.JAVA)));
        if (pkg != null) {
            jdk.put("purl", pkg.purl());
            props.add(property("debian:package", pkg.name() + "=" + pkg.version()));
        }
        jdk.put("properties", props);
        out.add(jdk);
        for (String module : unquote(release.getProperty("MODULES", "")).split(" ")) {
            if (module.isBlank()) {
                continue;
            }
            Map<String, Object> m = component("library", module, version);
            m.put("bom-ref", "java-runtime:" + module);
            m.put("group", "java-runtime");
            m.put("properties", List.of(property("location", ImageBuilder.JAVA + "/lib/modules")));
            out.add(m);
        }
        return out;
    }

    /** One component per Debian package (or per file dpkg does not know), with the files' paths and hashes. */
    private static List<Object> cLibraries(Map<String, Path> libraries) throws IOException, InterruptedException {
        TreeMap<String, Map<String, Object>> byPackage = new TreeMap<>();
        for (Map.Entry<String, Path> lib : new TreeMap<>(libraries).entrySet()) {
            Package pkg = Package.of(Path.of(lib.getKey()));
            String key = pkg == null ? "file:" + lib.getKey() : pkg.purl();
            Map<String, Object> c = byPackage.computeIfAbsent(key, k -> {
                Map<String, Object> n = component("library", pkg == null ? lib.getValue().getFileName().toString()
                        : pkg.name(), pkg == null ? "" : pkg.version());
                n.put("bom-ref", k);
                if (pkg != null) {
                    n.put("purl", pkg.purl());
                }
                n.put("hashes", new ArrayList<>());
                n.put("properties", new ArrayList<>());
                return n;
            });
            asList(c.get("properties")).add(property("location", lib.getKey()));
            if (pkg == null) {
                asList(c.get("hashes")).add(sha256(lib.getValue()));
            }
        }
        return new ArrayList<>(byPackage.values());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    /** A Debian package that owns a file, as dpkg says; null without dpkg or when no package owns it. */
    record Package(String name, String version, String arch, String distro) {
        static Package of(Path file) throws IOException, InterruptedException {
            // dpkg knows a file by the path its package installed (on merged /usr, /lib/... not /usr/lib/...).
            String owner = run("dpkg", "-S", file.toString());
            if (owner == null && Files.exists(file)) {
                owner = run("dpkg", "-S", file.toRealPath().toString());
            }
            if (owner == null || !owner.contains(":")) {
                return null;
            }
            String name = owner.substring(0, owner.indexOf(": ")).split(",")[0].trim();
            String version = run("dpkg-query", "-W", "-f=${Version}", name);
            String arch = run("dpkg-query", "-W", "-f=${Architecture}", name);
            if (version == null) {
                return null;
            }
            String bare = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            return new Package(bare, version.trim(), arch == null ? "" : arch.trim(), osRelease());
        }

        String purl() {
            return "pkg:deb/debian/" + name + "@" + version.replace("+", "%2B") + "?arch=" + arch
                    + (distro.isEmpty() ? "" : "&distro=" + distro);
        }

        private static String osRelease() throws IOException {
            Path osRelease = Path.of("/etc/os-release");
            if (!Files.exists(osRelease)) {
                return "";
            }
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(osRelease)) {
                p.load(in);
            }
            String id = unquote(p.getProperty("ID", ""));
            String v = unquote(p.getProperty("VERSION_ID", ""));
            return id.isEmpty() || v.isEmpty() ? "" : id + "-" + v;
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        } catch (IOException e) {
            return null; // no dpkg here
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 && !out.isBlank() ? out.trim() : null;
    }

    private static Map<String, Object> component(String type, String name, String version) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("name", name);
        if (version != null && !version.isEmpty()) {
            c.put("version", version);
        }
        return c;
    }

    private static Map<String, String> property(String name, String value) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("value", value);
        return p;
    }

    private static Map<String, String> sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            // Ordered: Map.of's iteration order changes from one JVM to the next, and so would the file.
            Map<String, String> hash = new LinkedHashMap<>();
            hash.put("alg", "SHA-256");
            hash.put("content", HexFormat.of().formatHex(md.digest(Files.readAllBytes(file))));
            return hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
