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

    @Test
    void theWebhookUrlIsRedacted() {
        Map<String, Object> options = metaInfo("--webhook-url=https://bot:t0ken@hooks.example.com/notify?sig=abc123");
        assertThat(options.get("webhookUrl")).isEqualTo("https://REDACTED@hooks.example.com/notify?REDACTED");
        assertThat(options.toString()).doesNotContain("t0ken").doesNotContain("abc123");
    }

    @Test
    void aPlainUrlAndNoUrlAreKeptAsTheyAre() {
        assertThat(metaInfo("--webhook-url=http://receiver:8080/hook").get("webhookUrl"))
                .isEqualTo("http://receiver:8080/hook");
        assertThat(metaInfo().get("webhookUrl")).isEqualTo("");
    }
}
