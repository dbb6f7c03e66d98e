package io.reloader.report;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.kube.ApiErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing sensitive leaves the process: URLs keep scheme and host only; API errors lose message and body. */
class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://hooks.slack.com/services/T000/B000/XXXX|https://hooks.slack.com/…",
            "https://xxx.webhook.office.com/webhookb2/0f8e2c7a-1d3b-4c5e-9f60-7a8b9c0d1e2f@3a4b5c6d-7e8f-4012-8345-6789abcdef01/IncomingWebhook/5e6f7a8b9c0d4e1f/9b8a7c6d-5e4f-4321-8765-43210fedcba9|https://xxx.webhook.office.com/…",
            "https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789-abcdef|https://discord.com/…",
            "https://user:pa55@alerts.example.com:8443/hook?token=s3cr3t|https://alerts.example.com:8443/…",
            "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t|https://chat.googleapis.com/…",
            "http://10.0.0.1|http://10.0.0.1/…",
            "not a url at all|REDACTED",
            "hooks.slack.com/services/T000/B000/XXXX|REDACTED",
    })
    void urlsKeepOnlySchemeAndHost(String url, String expected) {
        assertThat(Redaction.url(url)).isEqualTo(expected);
    }

    @Test
    void anExceptionMessageQuotingTheUrlIsRedactedToo() {
        String url = "http://u:p@h/x/T000/B000/XXXX?sig=abc";
        assertThat(Redaction.message("java.net.ConnectException: " + url + " refused", url))
                .isEqualTo("java.net.ConnectException: http://h/… refused");
        assertThat(Redaction.message("POST /x/T000/B000/XXXX?sig=abc failed (u:p)", url))
                .doesNotContain("XXXX").doesNotContain("sig=abc").doesNotContain("u:p");
        assertThat(Redaction.message("proxy http://proxy:3128/a/b and https://other.example/tok/en", url))
                .isEqualTo("proxy http://proxy:3128/… and https://other.example/…");
    }

    @Test
    void anApiErrorKeepsCodeReasonAndFieldsButNotTheEchoedValue() {
        KubernetesClientException e = new KubernetesClientException(new StatusBuilder().withCode(422)
                .withReason("Invalid").withMessage("Deployment.apps \"web\" is invalid: spec...env[0].value: "
                        + "Invalid value: \"hunter2\"")
                .withNewDetails().withCauses(new StatusCauseBuilder()
                        .withField("spec.template.spec.containers[0].env[0].value")
                        .withMessage("Invalid value: \"hunter2\"").build()).endDetails().build());
        String described = ApiErrors.describe(new ExecutionException(e));
        assertThat(described).isEqualTo("HTTP 422 Invalid (spec.template.spec.containers[0].env[0].value)")
                .doesNotContain("hunter2");
    }

    @Test
    void aConnectionFailureSaysSoWithoutDetails() {
        KubernetesClientException e = new KubernetesClientException("Failed to connect to https://x?token=t",
                new java.net.ConnectException("refused"));
        assertThat(ApiErrors.describe(e)).isEqualTo("connection failed (ConnectException)");
        assertThat(ApiErrors.describe(new IllegalStateException("s3cr3t"))).isEqualTo("IllegalStateException");
    }
}
