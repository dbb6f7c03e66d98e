package io.reloader.hash;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SourceListDigesterTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final SourceHasher RELOADER = SourceHasher.reloaderCompatible();

    private static String rewrite(String json, int chunk) {
        return new String(SourceListDigesterProperties.rewrite(RELOADER,
                json.getBytes(StandardCharsets.UTF_8), chunk), StandardCharsets.UTF_8);
    }

    @Test
    void anErrorStatusIsPassedOnAsItCame() {
        String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"secrets is forbidden\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"secrets\"},"
                + "\"code\":403}";
        assertThat(rewrite(status, 7)).isEqualTo(status);
    }

    @Test
    void anEmptyListStaysEmpty() {
        String empty = "{\"kind\":\"SecretList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[]}";
        assertThat(rewrite(empty, 3)).isEqualTo(empty);
    }

    @Test
    void aValueThatIsNotBase64LeavesItsSecretToBeHashedWhole() {
        String list = "{\"items\":[{\"metadata\":{\"name\":\"s\"},\"data\":{\"good\":\"dg==\",\"bad\":\"%%%\"}}]}";
        Secret s = JSON.unmarshal(rewrite(list, 5), SecretList.class).getItems().get(0);
        assertThat(s.getData()).containsEntry("bad", "%%%").containsEntry("good", "dg==");
        assertThat(s.getAdditionalProperties()).doesNotContainKey(StreamedDigest.PROPERTY);
    }

    @Test
    void aSecretWithoutDataGetsTheDigestOfNoData() {
        String list = "{\"items\":[{\"metadata\":{\"name\":\"s\"},\"type\":\"Opaque\"},"
                + "{\"metadata\":{\"name\":\"t\"},\"data\":null}]}";
        SecretList parsed = JSON.unmarshal(rewrite(list, 1), SecretList.class);
        Secret none = new Secret();
        assertThat(parsed.getItems()).allSatisfy(s -> assertThat(RELOADER.digestsOfSecret(s))
                .isEqualTo(RELOADER.digestsOfSecret(none)));
    }

    @Test
    void aDigestUnderAnyOtherNameIsNotBelieved() {
        // What an object could carry by itself: a property of the same shape, without this process's word.
        Secret forged = JSON.unmarshal("{\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"dg==\"},"
                + "\"io.reloader/streamed-digest-0000000000000000\":{\"hash\":\"forged\",\"keys\":{}}}", Secret.class);
        assertThat(RELOADER.ofSecret(forged)).isEqualTo(RELOADER.ofSecret(JSON.unmarshal(
                "{\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"dg==\"}}", Secret.class))).isNotEqualTo("forged");
    }
}
