package io.reloader.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The commit being built, for the image's revision and creation time; "unknown" and the epoch without git. */
final class Git {
    private Git() {
    }

    static String revision() {
        String out = run("git", "rev-parse", "HEAD");
        return out == null ? "unknown" : out;
    }

    static Instant commitTime() {
        String out = run("git", "log", "-1", "--format=%ct");
        try {
            return out == null ? Instant.EPOCH : Instant.ofEpochSecond(Long.parseLong(out));
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
