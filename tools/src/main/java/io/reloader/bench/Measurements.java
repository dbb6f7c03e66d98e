package io.reloader.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percentiles and seconds as the report gives them (memory is measured by {@link ChildJvm}). */
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

    static double seconds(long nanos) {
        return Math.round(nanos / 1e7) / 100.0;
    }
}
