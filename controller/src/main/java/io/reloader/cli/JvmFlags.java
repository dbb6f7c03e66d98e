package io.reloader.cli;

/** The JVM flags the README and the container image run the controller with, chosen from the benchmark. */
public final class JvmFlags {
    /** The heap's free-space bounds during start-up; {@link StartupHeapRelease} tightens them once synced. */
    static final int START_MIN_HEAP_FREE = 20;
    static final int START_MAX_HEAP_FREE = 40;

    /** Space-separated. */
    public static final String RECOMMENDED = "-XX:+UseSerialGC -XX:MaxRAMPercentage=30 -XX:MinRAMPercentage=30"
            + " -XX:InitialRAMPercentage=5"
            + " -XX:MinHeapFreeRatio=" + START_MIN_HEAP_FREE + " -XX:MaxHeapFreeRatio=" + START_MAX_HEAP_FREE
            + " -XX:NewRatio=4 -XX:TrimNativeHeapInterval=2000 -XX:MetaspaceSize=64m -XX:TieredStopAtLevel=1 -Xss512k";

    /**
     * What the JVM adds from JDK 25 on (the image's runtime): compact object headers (JEP 519), 8 bytes per object
     * instead of 12, which made the controller 6-8 MiB smaller at the default population. JDK 17 and 21 refuse
     * the flag (24 has it as experimental), so only from 25.
     */
    public static final String FROM_JDK_25 = "-XX:+UseCompactObjectHeaders";

    /** {@link #RECOMMENDED}, plus {@link #FROM_JDK_25} on a runtime of that feature release or later. */
    public static String recommendedFor(int feature) {
        return feature >= 25 ? RECOMMENDED + " " + FROM_JDK_25 : RECOMMENDED;
    }

    /** The environment the image sets and the README shows: glibc keeps fewer malloc arenas for the JVM's threads. */
    public static final java.util.Map<String, String> ENVIRONMENT = java.util.Map.of("MALLOC_ARENA_MAX", "2");

    private JvmFlags() {
    }
}
