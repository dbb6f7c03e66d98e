package io.reloader.hash;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void malformedJsonFailsTheResponse() {
        for (String bad : new String[] {"{\"items\":[{\"a\" 1}]}", "{\"items\":[}", "]", "{\"a\":1}}",
                "{\"a\":tru}", "{\"a\":1,}", "{\"a\":[1 2]}", "{\"a\":\"x\ny\"}", "{\"a\":\u00ff}", "{:1}"}) {
            assertThatThrownBy(() -> rewrite(bad, 2)).as(bad).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void nestingBeyondTheBoundFailsWithoutExhaustingTheStack() {
        String deep = "{\"items\":[{\"metadata\":{\"annotations\":{\"x\":" + "[".repeat(5_000) + "]".repeat(5_000)
                + "}}}]}";
        assertThatThrownBy(() -> rewrite(deep, 4096)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("deeper than");
    }

    @Test
    void aMalformedInputIsReportedWithoutItsBytes() {
        assertThatThrownBy(() -> rewrite("{\"items\":[{\"data\":{\"k\":\"czNjcjN0\" \"s3cr3t\"}}]}", 64))
                .isInstanceOf(IllegalStateException.class).message().doesNotContain("s3cr3t").doesNotContain("czNjcjN0");
    }

    @Test
    void escapedNamesAndValuesAreReadAsTheWholeObjectReadsThem() {
        String item = "{\"metadata\":{\"name\":\"caf\\u00e9\",\"annotations\":{\"q\":\"a\\\"b\"}},"
                + "\"data\":{\"k\\u0031\":\"czNj\\/\\/\\/\\/\"},\"stringData\":{\"t\":\"line\\nnext \\ud83d\\ude00\"}}";
        Secret whole = JSON.unmarshal(item, Secret.class);
        Secret streamed = JSON.unmarshal(rewrite("{\"items\":[" + item + "]}", 3), SecretList.class).getItems().get(0);
        assertThat(RELOADER.digestsOfSecret(streamed)).isEqualTo(RELOADER.digestsOfSecret(whole));
        assertThat(streamed.getMetadata().getName()).isEqualTo("café");
        assertThat(streamed.getMetadata().getAnnotations()).containsEntry("q", "a\"b");
        assertThat(streamed.getData()).isNullOrEmpty();
    }

    @Test
    void kubectlsCopyIsDroppedWhateverItsShape() {
        String list = "{\"items\":[{\"metadata\":{\"name\":\"s\",\"annotations\":{\"" + SourceListDigester.LAST_APPLIED
                + "\":{\"data\":{\"k\":[\"s3cr3t\"]}},\"keep\":\"me\"}},\"data\":{\"k\":\"dg==\"}}]}";
        String rewritten = rewrite(list, 5);
        assertThat(rewritten).doesNotContain("s3cr3t").doesNotContain("dg==");
        Secret s = JSON.unmarshal(rewritten, SecretList.class).getItems().get(0);
        assertThat(s.getMetadata().getAnnotations()).containsOnlyKeys("keep");
    }

    @Test
    void aWatchStreamKeepsTheNewlinesBetweenEvents() {
        String event = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"dg==\"}}}";
        String rewritten = rewrite(event + "\n" + event + "\n", 1);
        assertThat(rewritten.split("\n")).hasSize(2).allSatisfy(line -> assertThat(line)
                .startsWith("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"s\"},\"" + StreamedDigest.PROPERTY));
        assertThat(rewritten).endsWith("}\n");
    }

    @Test
    void dataThatIsNotAMapOfStringsFailsTheResponse() {
        for (String data : new String[] {"\"x\"", "[]", "1", "{\"k\":1}", "{\"k\":{}}", "{\"k\":[]}"}) {
            assertThatThrownBy(() -> rewrite("{\"items\":[{\"data\":" + data + "}]}", 3)).as(data)
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
