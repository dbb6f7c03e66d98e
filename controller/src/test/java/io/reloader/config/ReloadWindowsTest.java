package io.reloader.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Weekly reload windows: when they are open and when the next one opens, across days, midnight and zones. */
class ReloadWindowsTest {

    // 2026-11-23 is a Monday. Europe/Berlin is UTC+1 in November.
    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "Mon-Fri 02:00-05:00 UTC          | 2026-11-23T03:00:00Z | 2026-11-23T03:00:00Z",
            "Mon-Fri 02:00-05:00 UTC          | 2026-11-23T05:00:00Z | 2026-11-24T02:00:00Z",
            "Mon-Fri 02:00-05:00 UTC          | 2026-11-23T01:59:59Z | 2026-11-23T02:00:00Z",
            "Mon-Fri 02:00-05:00 UTC          | 2026-11-27T06:00:00Z | 2026-11-30T02:00:00Z",
            "Mon-Fri 02:00-05:00 Europe/Berlin | 2026-11-23T01:30:00Z | 2026-11-23T01:30:00Z",
            "Mon-Fri 02:00-05:00 Europe/Berlin | 2026-11-23T00:30:00Z | 2026-11-23T01:00:00Z",
            "Mon-Fri 02:00-05:00 Europe/Berlin; Sat 10:00-12:00 UTC | 2026-11-28T09:00:00Z | 2026-11-28T10:00:00Z",
            "Sat 22:00-02:00                   | 2026-11-29T01:00:00Z | 2026-11-29T01:00:00Z",
            "Sat 22:00-02:00                   | 2026-11-29T02:00:00Z | 2026-12-05T22:00:00Z",
            "Fri-Mon 12:00-13:00               | 2026-11-25T12:30:00Z | 2026-11-27T12:00:00Z",
            "Sun 00:00-24:00                   | 2026-11-29T23:59:59Z | 2026-11-29T23:59:59Z",
            "* 12:00:00-12:00:30               | 2026-11-23T12:00:31Z | 2026-11-24T12:00:00Z",
            "Saturday,sun 08:00-09:00          | 2026-11-23T00:00:00Z | 2026-11-28T08:00:00Z",
    })
    void nextOpen(String windows, String now, String expected) {
        ReloadWindows w = ReloadWindows.parse(windows);
        assertThat(w.nextOpen(Instant.parse(now))).isEqualTo(Instant.parse(expected));
        assertThat(w.isOpen(Instant.parse(now))).isEqualTo(now.equals(expected));
    }

    @Test
    void anOpenWindowSaysWhenItCloses() {
        ReloadWindows w = ReloadWindows.parse("Sat 22:00-02:00 UTC");
        assertThat(w.closesAfter(Instant.parse("2026-11-29T01:00:00Z"))).contains(Instant.parse("2026-11-29T02:00:00Z"));
        assertThat(w.closesAfter(Instant.parse("2026-11-29T03:00:00Z"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                | empty reload window",
            "Mon                               | is not '<days> <HH:MM-HH:MM> [time zone]'",
            "Mun 02:00-03:00                   | unknown day 'Mun'",
            "Mon 2am-3am                       | '2am' in 'Mon 2am-3am' is not a time",
            "Mon 02:00                         | '02:00' in 'Mon 02:00' is not a time range",
            "Mon 02:00-03:00 Mars/Olympus      | unknown time zone 'Mars/Olympus'",
            "Mon 25:00-26:00                   | is not a time",
    })
    void invalidWindowsSayWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> ReloadWindows.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
