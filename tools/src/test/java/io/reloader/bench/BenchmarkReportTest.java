package io.reloader.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchmarkReportTest {
    @Test
    void theReportsCommandCarriesTheBenchmarkJvmsOwnFlags() {
        assertThat(BenchmarkReport.launchFlags(Map.of("benchmarkJvmFlags", "-Xmx2g"))).isEqualTo("-Xmx2g ");
        assertThat(BenchmarkReport.launchFlags(Map.of("benchmarkJvmFlags", ""))).isEmpty();
        assertThat(BenchmarkReport.launchFlags(Map.of())).isEmpty();
    }
}
