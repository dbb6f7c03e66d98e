package io.reloader.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;

/**
 * Once the caches are synced, gives the heap the start-up lists needed back to the operating system and keeps the
 * heap close to what is live from then on. The first lists need room (pages in flight, a young generation that does
 * not collect every few milliseconds); the steady state holds only the caches. Tightening the heap's free-space
 * bounds for the whole run instead multiplies full collections during start-up; leaving the start-up bounds in
 * place keeps the heap (and RSS) at its start-up size for the life of the process.
 *
 * <p>Both bounds are {@code manageable} HotSpot flags, meant to be set at run time. They are changed only while they
 * hold the JVM's defaults or the start-up values of {@link JvmFlags#RECOMMENDED}: an operator's own choice stays.
 * The collections are {@link System#gc()}, so {@code -XX:+DisableExplicitGC} turns all of this off.
 */
final class StartupHeapRelease {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";
    /** After start-up: grow when less than 10% is free, give back above 20%. */
    static final int STEADY_MIN_FREE = 10;
    static final int STEADY_MAX_FREE = 20;
    /** The values the bounds may hold to be replaced: the JVM's defaults, and the start-up ones of the image. */
    private static final List<Map.Entry<Integer, Integer>> REPLACEABLE = List.of(Map.entry(40, 70),
            Map.entry(JvmFlags.START_MIN_HEAP_FREE, JvmFlags.START_MAX_HEAP_FREE));
    /**
     * Serial and Parallel damp how far one full collection shrinks the old generation (none of the excess on the
     * first, then 10%, 40% and all of it), so a program that calls {@code System.gc()} between phases is not shrunk
     * at once; the fourth gives all of it back.
     */
    static final int FULL_COLLECTIONS = 4;

    private StartupHeapRelease() {
    }

    /** The flag settings, in the order they must be made (each keeps min &lt;= max); empty to leave the bounds. */
    static List<Map.Entry<String, String>> plan(int minFree, int maxFree) {
        if (!REPLACEABLE.contains(Map.entry(minFree, maxFree))) {
            return List.of();
        }
        // Lowering: the minimum first, so that it never exceeds the maximum in between.
        return List.of(Map.entry(MIN_FREE, String.valueOf(STEADY_MIN_FREE)),
                Map.entry(MAX_FREE, String.valueOf(STEADY_MAX_FREE)));
    }

    /** Tightens the bounds (if they are ours to change) and collects; logs what the heap gave back. */
    static void run() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            List<Map.Entry<String, String>> steps = plan(Integer.parseInt(vm.getVMOption(MIN_FREE).getValue()),
                    Integer.parseInt(vm.getVMOption(MAX_FREE).getValue()));
            for (Map.Entry<String, String> step : steps) {
                vm.setVMOption(step.getKey(), step.getValue());
            }
            long before = committedHeap();
            for (int i = 0; i < FULL_COLLECTIONS; i++) {
                System.gc();
            }
            LOG.debug("start-up heap returned: committed {} MiB -> {} MiB (heap free bounds {})",
                    before >> 20, committedHeap() >> 20, steps.isEmpty() ? "left as set" : "now "
                            + STEADY_MIN_FREE + "-" + STEADY_MAX_FREE + "%");
        } catch (RuntimeException e) { // not HotSpot, or a JVM without these flags: nothing is lost but memory
            LOG.debug("start-up heap not returned: {}", e.toString());
        }
    }

    private static long committedHeap() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getCommitted();
    }
}
