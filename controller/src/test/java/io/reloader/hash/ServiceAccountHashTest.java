package io.reloader.hash;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The hash of a ServiceAccount's identity: only the selected annotations, sorted, as a ConfigMap's data. */
class ServiceAccountHashTest {
    private static final String ROLE = "eks.amazonaws.com/role-arn";
    private static final String AZURE = "azure.workload.identity/client-id";
    private static final List<String> SELECTED = List.of(ROLE, AZURE, "iam.gke.io/gcp-service-account");
    private final SourceHasher hasher = SourceHasher.reloaderCompatible();

    private String hash(Map<String, String> annotations) {
        return hasher.digestsOfAnnotations(annotations, SELECTED).hash();
    }

    @Test
    void oneAnnotationIsTheSha1OfItsKeyEqualsValueEntry() {
        assertThat(hash(Map.of(ROLE, "arn:aws:iam::1:role/a")))
                .isEqualTo(SourceHasher.sha1Hex(ROLE + "=arn:aws:iam::1:role/a"));
    }

    @Test
    void severalAreSortedByKeyAndJoinedBySemicolons() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(ROLE, "r");
        a.put(AZURE, "c");
        // azure… sorts before eks…, whatever order the map has
        assertThat(hash(a)).isEqualTo(SourceHasher.sha1Hex(AZURE + "=c;" + ROLE + "=r"));
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put(AZURE, "c");
        reversed.put(ROLE, "r");
        assertThat(hash(reversed)).isEqualTo(hash(a));
    }

    @Test
    void noSelectedAnnotationHashesAsNothing() {
        String empty = SourceHasher.sha1Hex("");
        assertThat(hash(null)).isEqualTo(empty);
        assertThat(hash(Map.of())).isEqualTo(empty);
        assertThat(hash(Map.of("team", "a", "kubectl.kubernetes.io/last-applied-configuration", "{}"))).isEqualTo(empty);
    }

    @Test
    void unselectedAnnotationsDoNotChangeTheHashButSelectedOnesDo() {
        String base = hash(Map.of(ROLE, "r1"));
        assertThat(hash(Map.of(ROLE, "r1", "other", "x", "description", "y"))).isEqualTo(base);
        assertThat(hash(Map.of(ROLE, "r2"))).isNotEqualTo(base);
        assertThat(hash(Map.of(ROLE, "r1", AZURE, "c"))).isNotEqualTo(base); // added
        assertThat(hash(Map.of())).isNotEqualTo(base);                        // removed
    }

    @Test
    void theKeyDigestsNameTheSelectedAnnotationsPresent() {
        var digests = hasher.digestsOfAnnotations(Map.of(ROLE, "r", AZURE, "c", "other", "x"), SELECTED);
        assertThat(digests.keys().keys()).containsExactly(AZURE, ROLE);
        var changed = hasher.digestsOfAnnotations(Map.of(ROLE, "r2", AZURE, "c"), SELECTED).keys()
                .changedFrom(digests.keys());
        assertThat(changed).containsExactly(ROLE);
    }

    @Test
    void theKeyedHasherKeysItToo() {
        SourceHasher keyed = SourceHasher.keyed("0123456789abcdef".getBytes());
        assertThat(keyed.digestsOfAnnotations(Map.of(ROLE, "r"), SELECTED).hash()).hasSize(64)
                .isNotEqualTo(hash(Map.of(ROLE, "r")));
    }
}
