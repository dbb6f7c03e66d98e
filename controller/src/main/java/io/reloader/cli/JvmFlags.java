package io.reloader.cli;

/** The JVM flags the README and the container image run the controller with, chosen from the benchmark. */
public final class JvmFlags {
    /** Space-separated. */
    public static final String RECOMMENDED = "-XX:+UseSerialGC -XX:MaxRAMPercentage=40 -XX:InitialRAMPercentage=2"
            + " -XX:MetaspaceSize=64m -XX:TieredStopAtLevel=1 -Xss512k";

    /** The environment the image sets and the README shows: glibc keeps fewer malloc arenas for the JVM's threads. */
    public static final java.util.Map<String, String> ENVIRONMENT = java.util.Map.of("MALLOC_ARENA_MAX", "2");

    private JvmFlags() {
    }
}
