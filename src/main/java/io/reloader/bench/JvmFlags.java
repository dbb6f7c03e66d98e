package io.reloader.bench;

/** The JVM flags the README and the container image run the controller with, chosen from the benchmark. */
public final class JvmFlags {
    /** Space-separated. */
    public static final String RECOMMENDED = "-XX:+UseSerialGC";

    private JvmFlags() {
    }
}
