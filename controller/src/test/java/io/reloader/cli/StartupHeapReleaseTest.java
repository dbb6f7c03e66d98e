package io.reloader.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StartupHeapReleaseTest {
    @ParameterizedTest(name = "min {0} max {1}: tightened {2}")
    @CsvSource({
            "40, 70, true",  // the JVM's defaults
            "20, 40, true",  // the image's start-up bounds
            "10, 20, false", // already the steady bounds
            "10, 30, false",
            "20, 70, false", // an operator's own choice
            "5, 20, false",
            "40, 40, false",
    })
    void tightensOnlyTheDefaultsAndTheImagesStartupBounds(int min, int max, boolean tightened) {
        List<Map.Entry<String, String>> steps = StartupHeapRelease.plan(min, max);
        if (tightened) {
            assertThat(steps).containsExactly(Map.entry("MinHeapFreeRatio", "10"), Map.entry("MaxHeapFreeRatio", "20"));
        } else {
            assertThat(steps).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void theImagesFlagsCarryTheStartupBoundsThePlanRecognises() {
        assertThat(JvmFlags.RECOMMENDED).contains("-XX:MinHeapFreeRatio=" + JvmFlags.START_MIN_HEAP_FREE,
                "-XX:MaxHeapFreeRatio=" + JvmFlags.START_MAX_HEAP_FREE);
        assertThat(StartupHeapRelease.plan(JvmFlags.START_MIN_HEAP_FREE, JvmFlags.START_MAX_HEAP_FREE)).isNotEmpty();
        // Each step keeps min <= max: the JVM refuses a minimum above the maximum.
        assertThat(StartupHeapRelease.STEADY_MIN_FREE).isLessThanOrEqualTo(JvmFlags.START_MAX_HEAP_FREE);
    }
}
