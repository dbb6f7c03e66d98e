package io.reloader.watch;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Who wrote a source's data: the newest managedFields entry touching data, else the newest entry. */
class FieldManagersTest {

    private static ManagedFieldsEntry entry(String manager, String time, String... topFields) {
        FieldsV1 fields = new FieldsV1();
        Map<String, Object> map = new LinkedHashMap<>();
        for (String f : topFields) {
            map.put(f, Map.of(".", Map.of()));
        }
        fields.setAdditionalProperties(map);
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update").withApiVersion("v1")
                .withFieldsType("FieldsV1").withTime(time).withFieldsV1(topFields.length == 0 ? null : fields).build();
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("no managedFields", null, null),
                Arguments.of("empty list", List.of(), null),
                Arguments.of("one entry writing data",
                        List.of(entry("kubectl-edit", "2026-01-01T10:00:00Z", "f:data")), "kubectl-edit"),
                Arguments.of("the newest data writer wins over an older one",
                        List.of(entry("helm", "2026-01-01T10:00:00Z", "f:data"),
                                entry("kubectl-edit", "2026-01-01T11:00:00Z", "f:data")), "kubectl-edit"),
                Arguments.of("list order does not matter, time does",
                        List.of(entry("kubectl-edit", "2026-01-01T11:00:00Z", "f:data"),
                                entry("helm", "2026-01-01T10:00:00Z", "f:data")), "kubectl-edit"),
                Arguments.of("a newer metadata-only writer does not count when someone wrote data",
                        List.of(entry("helm", "2026-01-01T10:00:00Z", "f:data", "f:metadata"),
                                entry("kubectl-label", "2026-01-01T12:00:00Z", "f:metadata")), "helm"),
                Arguments.of("binaryData counts as data",
                        List.of(entry("operator", "2026-01-01T10:00:00Z", "f:binaryData"),
                                entry("kubectl-label", "2026-01-01T12:00:00Z", "f:metadata")), "operator"),
                Arguments.of("stringData counts as data (server-side apply of a Secret)",
                        List.of(entry("argocd-controller", "2026-01-01T10:00:00Z", "f:stringData"),
                                entry("kubectl-annotate", "2026-01-01T12:00:00Z", "f:metadata")), "argocd-controller"),
                Arguments.of("no entry touches data: the newest entry",
                        List.of(entry("a", "2026-01-01T10:00:00Z", "f:metadata"),
                                entry("b", "2026-01-01T12:00:00Z", "f:metadata"),
                                entry("c", "2026-01-01T11:00:00Z", "f:metadata")), "b"),
                Arguments.of("an entry without fields: the newest entry",
                        List.of(entry("creator", "2026-01-01T10:00:00Z")), "creator"),
                Arguments.of("an entry without a time counts as oldest",
                        List.of(entry("untimed", null, "f:data"), entry("timed", "2026-01-01T09:00:00Z", "f:data")),
                        "timed"),
                Arguments.of("equally new: the later in the list",
                        List.of(entry("first", "2026-01-01T10:00:00Z", "f:data"),
                                entry("second", "2026-01-01T10:00:00Z", "f:data")), "second"),
                Arguments.of("offsets are compared as instants",
                        List.of(entry("east", "2026-01-01T12:00:00+03:00", "f:data"),
                                entry("utc", "2026-01-01T10:00:00Z", "f:data")), "utc"),
                Arguments.of("an unparsable time counts as oldest",
                        List.of(entry("garbled", "yesterday", "f:data"), entry("ok", "2026-01-01T10:00:00Z", "f:data")),
                        "ok"),
                Arguments.of("entries without a manager name are skipped",
                        Arrays.asList(entry("", "2026-01-01T12:00:00Z", "f:data"), null,
                                entry("real", "2026-01-01T10:00:00Z", "f:data")), "real"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void theWriterOfTheData(String shape, List<ManagedFieldsEntry> entries, String expected) {
        assertThat(FieldManagers.writerOf(entries)).isEqualTo(expected);
    }
}
