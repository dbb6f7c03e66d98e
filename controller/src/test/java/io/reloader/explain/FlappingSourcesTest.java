package io.reloader.explain;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which sources the controller's Events say are held as flapping. */
class FlappingSourcesTest {
    private static Event event(String reason, String name, String at) {
        return new EventBuilder().withReason(reason).withMessage(reason + " " + name).withLastTimestamp(at)
                .withNewInvolvedObject().withKind("ConfigMap").withNamespace("shop").withName(name).endInvolvedObject()
                .build();
    }

    /** Events as {@code REASON@SECOND} (F: SourceFlapping, S: SourceSettled) of one ConfigMap. */
    @ParameterizedTest(name = "{0} -> flapping {1}")
    @CsvSource({
            "F@10, true",
            "F@10 S@20, false",
            "F@10 S@20 F@30, true",
            "S@20 F@10, false",
            "S@5, false",
            "'', false",
    })
    void aSourceFlapsWhenItsLastFlappingEventIsNewerThanItsLastSettledOne(String events, boolean flapping) {
        List<Event> list = new ArrayList<>();
        for (String e : events.trim().isEmpty() ? new String[0] : events.trim().split("\\s+")) {
            String[] p = e.split("@");
            list.add(event(p[0].equals("F") ? "SourceFlapping" : "SourceSettled", "tls",
                    String.format("2026-12-01T10:00:%02dZ", Integer.parseInt(p[1]))));
        }
        list.add(event("Reloaded", "tls", "2026-12-01T10:00:59Z"));
        List<Explanation.Flapping> out = FlappingSources.of(list);
        assertThat(out).hasSize(flapping ? 1 : 0);
        if (flapping) {
            assertThat(out.get(0).source()).isEqualTo(new Explanation.Ref("ConfigMap", "shop", "tls"));
            assertThat(out.get(0).message()).isEqualTo("SourceFlapping tls");
        }
    }
}
