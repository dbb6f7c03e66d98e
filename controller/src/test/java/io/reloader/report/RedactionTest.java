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

/** Nothing sensitive leaves the process: URLs lose user-info and query; API errors lose message and body. */
class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://hooks.slack.com/services/T0/B0/XyZ|https://hooks.slack.com/services/T0/B0/XyZ",
            "https://user:pa55@alerts.example.com:8443/hook?token=s3cr3t|https://REDACTED@alerts.example.com:8443/hook?REDACTED",
            "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t|https://chat.googleapis.com/v1/spaces/AAA/messages?REDACTED",
            "not a url at all|REDACTED",
    })
    void urlsKeepWhereTheyGoNotHowTheyAuthenticate(String url, String expected) {
        assertThat(Redaction.url(url)).isEqualTo(expected);
    }

    @Test
    void anExceptionMessageQuotingTheUrlIsRedactedToo() {
        String url = "http://u:p@h/x?sig=abc";
        assertThat(Redaction.message("java.net.ConnectException: " + url + " refused", url))
                .isEqualTo("java.net.ConnectException: http://REDACTED@h/x?REDACTED refused")
                .doesNotContain("sig=abc").doesNotContain("u:p");
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
