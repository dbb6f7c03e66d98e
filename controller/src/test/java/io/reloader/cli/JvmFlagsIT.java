package io.reloader.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The heap the recommended flags give is 30% of the memory limit, small limits included. */
class JvmFlagsIT {
    private static final Pattern MAX_HEAP = Pattern.compile("size_t MaxHeapSize\\s+=\\s+(\\d+)");

    private static long maxHeapMib(String memory) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Arrays.asList(JvmFlags.recommendedFor(Runtime.version().feature()).split(" ")));
        cmd.addAll(List.of("-XX:MaxRAM=" + memory, "-XX:+PrintFlagsFinal", "-version"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        Matcher m = MAX_HEAP.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1)) >> 20;
    }

    /** Without MinRAMPercentage the JVM gave 126 MiB (its default maximum) at 256 and 384 MiB alike. */
    @ParameterizedTest
    @CsvSource({"256m, 77", "384m, 115", "2g, 614"})
    void theHeapIsThirtyPercentOfTheLimit(String memory, long mib) throws Exception {
        assertThat(maxHeapMib(memory)).isBetween(mib - 2, mib + 2);
    }
}
