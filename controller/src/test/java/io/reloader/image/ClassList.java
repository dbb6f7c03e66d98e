package io.reloader.image;

import io.reloader.cli.JvmFlags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The classes the image's class-data archive holds, as a committed list: trained on the controller (the image's
 * runtime and jar against an in-process API server over TLS until it has reloaded a Deployment), so no tooling
 * class is in it, and committed because no two training runs load exactly the same classes (timing decides some),
 * while a dump from one fixed list gives the same archive every time. A class that is gone from the jar is skipped
 * at the dump and one that is not listed loads from the jar; ImageIT fails when too few of the classes a run loads
 * come from the archive. Train again with {@code mvn -DskipTests verify -Dimage.train=true}.
 */
final class ClassList {
    /** Where the list is kept, from the repository root (where Maven and the integration tests run). */
    static final Path DEFAULT = Path.of("controller", "src", "image", "reloader.classlist");
    private static final String HEADER = """
            # The classes of the image's class-data archive (static, dumped at build time by ImageBuilder), trained
            # on the controller reloading a Deployment. Train again after a dependency upgrade or when ImageIT says
            # so: mvn -DskipTests verify -Dimage.train=true
            """;

    private ClassList() {
    }

    /** Runs the controller on the image's runtime with {@code app}'s jar and writes the list it loaded to {@code to}. */
    static void train(Path jre, Path app, Path to) throws IOException, InterruptedException {
        Path raw = app.resolve("training.classlist");
        List<String> cmd = new ArrayList<>(List.of(jre.toAbsolutePath().resolve("bin/java").toString()));
        cmd.addAll(List.of(JvmFlags.RECOMMENDED.split(" ")));
        cmd.addAll(List.of("-XX:DumpLoadedClassList=" + raw.getFileName(), "-Dvertx.disableFileCPResolving=true",
                "-Dvertx.disableFileCaching=true", "-jar", "reloader.jar"));
        ControllerRun.untilReloaded(cmd, app, JvmFlags.ENVIRONMENT);
        Files.writeString(to, HEADER + String.join("\n", normalized(Files.readAllLines(raw))) + "\n",
                StandardCharsets.UTF_8);
        Files.delete(raw);
        System.out.println("class list trained: " + to);
    }

    /**
     * The JVM's list made stable: sorted, without the load-order ids and without the resolved constant-pool
     * entries ({@code @cp}, indexes into one build of each class, which change with the code); classes first,
     * then lambda proxies and method-handle invokers.
     */
    static List<String> normalized(List<String> lines) {
        TreeSet<String> classes = new TreeSet<>();
        TreeSet<String> special = new TreeSet<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("@cp ") || line.contains(" source: ")) {
                continue;
            }
            if (line.startsWith("@")) {
                special.add(line);
            } else {
                classes.add(line.replaceAll(" id: \\d+$", ""));
            }
        }
        List<String> out = new ArrayList<>(classes);
        out.addAll(special);
        return out;
    }
}
