package io.reloader.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the benchmark measures: percentiles, heap after a full GC, resident memory. */
final class Measurements {
    private Measurements() {
    }

    static Map<String, Long> percentiles(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        Map<String, Long> p = new LinkedHashMap<>();
        if (sorted.isEmpty()) {
            return p;
        }
        for (int q : new int[] {50, 95, 99}) {
            int index = (int) Math.ceil(q / 100.0 * sorted.size()) - 1;
            p.put("p" + q, sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))));
        }
        return p;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long rss() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096L;
        } catch (Exception e) {
            return -1;
        }
    }

    static double seconds(long nanos) {
        return Math.round(nanos / 1e7) / 100.0;
    }
}
