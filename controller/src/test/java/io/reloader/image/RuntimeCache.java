package io.reloader.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The image's two class-data archives are not reproducible on JDK 17 (a dump differs from the last one byte by
 * byte), so they are made once per set of inputs and kept: the jlinked runtime (with its archive) under a key of
 * the JDK, its modules and the jlink options; the application archive under that key and the jar's SHA-256. A
 * hit replays exactly what the same inputs produced before; older entries are removed when a new one is made.
 * Without a cache directory everything is made afresh in the work directory.
 */
final class RuntimeCache {
    interface Step {
        void run(Path output) throws IOException, InterruptedException;
    }

    private RuntimeCache() {
    }

    /** The jlinked runtime: from the cache, or made by {@code jlink} (into the cache when there is one). */
    static Path runtime(Path cache, Path work, Step jlink) throws IOException, InterruptedException {
        if (cache == null) {
            Path jre = work.resolve("jre");
            jlink.run(jre);
            return jre;
        }
        Path dir = cache.resolve("runtime-" + runtimeKey());
        if (!Files.exists(dir.resolve("release"))) {
            Files.createDirectories(cache);
            prune(cache, "runtime-");
            Path tmp = cache.resolve("tmp-runtime");
            ImageBuilder.deleteRecursively(tmp);
            jlink.run(tmp);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        }
        return dir;
    }

    /** Puts the application archive at {@code app/reloader.jsa}: from the cache, or dumped (and then kept). */
    static void appArchive(Path cache, Path jre, Path app, Step dump) throws IOException, InterruptedException {
        Path target = app.resolve("reloader.jsa");
        if (cache == null) {
            dump.run(target);
            return;
        }
        Path kept = cache.resolve("app-" + sha256((runtimeKey() + jre.toAbsolutePath() + "\n"
                + String.join(" ", io.reloader.cli.JvmFlags.RECOMMENDED)).getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(app.resolve("reloader.jar"))) + ".jsa");
        if (!Files.exists(kept)) {
            prune(cache, "app-");
            dump.run(target);
            Files.copy(target, kept);
        } else {
            Files.copy(kept, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Everything the runtime's bytes depend on. */
    static String runtimeKey() {
        String inputs = String.join("\n", System.getProperty("java.home"), System.getProperty("java.runtime.version"),
                String.join(",", ImageBuilder.MODULES), String.join(" ", ImageBuilder.JLINK_OPTIONS));
        return sha256(inputs.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static void prune(Path cache, String prefix) throws IOException {
        List<Path> old;
        try (Stream<Path> s = Files.list(cache)) {
            old = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
        for (Path p : old) {
            ImageBuilder.deleteRecursively(p);
        }
    }

    private static String sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                md.update(part);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
