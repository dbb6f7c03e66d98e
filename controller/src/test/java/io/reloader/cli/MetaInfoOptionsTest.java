package io.reloader.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The meta-info ConfigMap is readable by anyone who can read ConfigMaps: no webhook token goes into it. */
class MetaInfoOptionsTest {

    private static Map<String, Object> metaInfo(String... args) {
        ControllerFlags flags = new ControllerFlags();
        new picocli.CommandLine(flags).setOverwrittenOptionsAllowed(true)
                .parseArgs(GoFlagArgs.normalize(args, ControllerFlags.BOOL_FLAGS));
        return flags.metaInfoOptions();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "https://bot:t0ken@hooks.example.com/notify?sig=abc123|https://hooks.example.com/\u2026",
            "https://hooks.slack.com/services/T000/B000/XXXX|https://hooks.slack.com/\u2026",
            "https://discord.com/api/webhooks/123/t0ken|https://discord.com/\u2026",
            "http://receiver:8080/hook|http://receiver:8080/\u2026",
    })
    void theWebhookUrlKeepsOnlySchemeAndHost(String url, String expected) {
        Map<String, Object> options = metaInfo("--webhook-url=" + url);
        assertThat(options.get("webhookUrl")).isEqualTo(expected);
        assertThat(options.toString()).doesNotContain("t0ken").doesNotContain("abc123").doesNotContain("XXXX");
    }

    @Test
    void noUrlStaysEmpty() {
        assertThat(metaInfo().get("webhookUrl")).isEqualTo("");
    }
}
