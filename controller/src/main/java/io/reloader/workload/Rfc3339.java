package io.reloader.workload;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps in seconds, UTC, as Reloader's stock image writes them. */
final class Rfc3339 {
    private Rfc3339() {
    }

    static String now(Clock clock) {
        return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    static Instant parse(String text) {
        return java.time.OffsetDateTime.parse(text).toInstant();
    }
}
