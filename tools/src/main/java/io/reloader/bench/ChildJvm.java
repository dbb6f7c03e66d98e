package io.reloader.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A measured JVM of its own, started as a user starts it: resident memory from {@code /proc}, live heap from a
 * full GC asked for with {@code jcmd}. Its output goes to a log file (the benchmark reads it for errors).
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final long launchNanos;
    private volatile long peakSampledRss;
    private final Thread sampler;

    private ChildJvm(Process process, Path log, long launchNanos) {
        this.process = process;
        this.log = log;
        this.launchNanos = launchNanos;
        this.sampler = new Thread(this::sample, "rss-sampler-" + process.pid());
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts {@code java <jvmFlags> <args>} with the same Java as this process. */
    static ChildJvm start(List<String> jvmFlags, List<String> args, Map<String, String> env, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        long launch = System.nanoTime();
        return new ChildJvm(pb.start(), log, launch);
    }

    long launchNanos() {
        return launchNanos;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Resident set size now, in bytes (-1 once the process is gone). */
    long rss() {
        return status("VmRSS:");
    }

    /** The kernel's high-water mark of the resident set, in bytes. */
    long peakRss() {
        return Math.max(status("VmHWM:"), peakSampledRss);
    }

    /** Threads of the process now (-1 once it is gone). */
    long threads() {
        long kib = status("Threads:");
        return kib < 0 ? -1 : kib / 1024; // status() reads fields in kB; Threads is a plain count
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private void sample() {
        while (process.isAlive()) {
            peakSampledRss = Math.max(peakSampledRss, rss());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Live objects after a full collection, in bytes: jcmd's class histogram runs one and sums what is left. */
    long heapAfterFullGc() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(2, TimeUnit.MINUTES);
        for (String line : out.split("\n")) {
            String l = line.trim();
            if (l.startsWith("Total")) {
                String[] f = l.split("\\s+");
                return Long.parseLong(f[2]);
            }
        }
        throw new IOException("jcmd printed no histogram total: " + out.lines().limit(5).toList());
    }

    /** Time in collection pauses and collections so far, from the JVM's own performance counters. */
    record Gc(double seconds, long collections, long fullCollections) {
    }

    /**
     * Garbage collection since launch, summed over the collectors, read with {@code jcmd <pid> PerfCounter.print}:
     * no flag on the measured JVM is needed. With the serial collector, collector 1 is the full collection.
     */
    Gc gc() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "PerfCounter.print")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(2, TimeUnit.MINUTES);
        long ticks = 0;
        long collections = 0;
        long full = 0;
        long frequency = 0;
        for (String line : out.split("\n")) {
            String[] kv = line.trim().split("=", 2);
            if (kv.length != 2 || !kv[1].trim().matches("\\d+")) {
                continue;
            }
            long value = Long.parseLong(kv[1].trim());
            if (kv[0].matches("sun\\.gc\\.collector\\.\\d+\\.time")) {
                ticks += value;
            } else if (kv[0].matches("sun\\.gc\\.collector\\.\\d+\\.invocations")) {
                collections += value;
                if (kv[0].equals("sun.gc.collector.1.invocations")) {
                    full = value;
                }
            } else if (kv[0].equals("sun.os.hrt.frequency")) {
                frequency = value;
            }
        }
        if (frequency == 0) {
            throw new IOException("jcmd printed no performance counters: " + out.lines().limit(5).toList());
        }
        return new Gc(ticks / (double) frequency, collections, full);
    }

    int exitCode() throws InterruptedException {
        return process.waitFor();
    }

    /** SIGTERM, then up to {@code seconds} for the JVM to finish exiting (e.g. to write a class-data archive). */
    boolean terminate(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        sampler.interrupt();
    }

    /** Polls the controller's /ready until it answers 200; the time it did. */
    long awaitReady(HttpClient http, int port, long timeoutNanos) throws Exception {
        long deadline = System.nanoTime() + timeoutNanos;
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException("the controller exited with " + exitCode() + ": "
                        + outputTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the controller was not ready in time: " + outputTail());
    }

    /** Waits until the output has the line; the time it did. */
    long awaitLine(String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (output().contains(line)) {
                return System.nanoTime();
            }
            if (!isAlive()) {
                throw new IllegalStateException("baseline exited: " + outputTail());
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("baseline not ready in time");
    }

    String outputTail() {
        String output = output();
        return output.length() > 2000 ? output.substring(output.length() - 2000) : output;
    }

}
