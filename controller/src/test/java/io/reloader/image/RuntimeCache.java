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
 * Keeps the jlinked runtime between builds (jlink takes most of the image's build time), under a key of all its
 * inputs: the JDK (its path and release file), the modules and the jlink options. jlink writes the same bytes for
 * the same inputs, so a hit is what a new link would give; ImageIT proves it by comparing a build without the cache.
 * Older entries are removed when a new one is made. Without a cache directory the runtime is linked into the work
 * directory.
 */
final class RuntimeCache {
    interface Step {
        void run(Path output) throws IOException, InterruptedException;
    }

    private RuntimeCache() {
    }

    /** The jlinked runtime: from the cache, or made by {@code jlink} (into the cache when there is one). */
    static Path runtime(Path cache, Path work, ImageBuilder.Jdk jdk, Step jlink) throws IOException,
            InterruptedException {
        if (cache == null) {
            Path jre = work.resolve("jre");
            jlink.run(jre);
            return jre;
        }
        Path dir = cache.resolve("runtime-" + key(jdk));
        if (!Files.exists(dir.resolve("release"))) {
            Files.createDirectories(cache);
            prune(cache);
            Path tmp = cache.resolve("tmp-runtime");
            ImageBuilder.deleteRecursively(tmp);
            jlink.run(tmp);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        }
        return dir;
    }

    /** Everything the runtime's bytes depend on. */
    static String key(ImageBuilder.Jdk jdk) throws IOException {
        String inputs = String.join("\n", jdk.home().toAbsolutePath().toString(),
                Files.readString(jdk.home().resolve("release")), String.join(",", ImageBuilder.MODULES),
                String.join(" ", ImageBuilder.jlinkOptions(jdk.feature())));
        return sha256(inputs.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static void prune(Path cache) throws IOException {
        List<Path> old;
        try (Stream<Path> s = Files.list(cache)) {
            old = s.filter(p -> p.getFileName().toString().startsWith("runtime-")
                    || p.getFileName().toString().startsWith("app-")).toList();
        }
        for (Path p : old) {
            ImageBuilder.deleteRecursively(p);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
