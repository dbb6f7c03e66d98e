package io.reloader.explain;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sources held as flapping, as the controller's Events tell (pure): a source whose last {@code SourceFlapping}
 * Event is newer than its last {@code SourceSettled}. The controller's hold lives in its memory; its Events are
 * what {@code explain --cluster} can read without reaching the controller, and they expire with the API server's
 * Event TTL (an hour by default).
 */
public final class FlappingSources {
    public static final String FLAPPING = "SourceFlapping";
    public static final String SETTLED = "SourceSettled";

    private FlappingSources() {
    }

    public static List<Explanation.Flapping> of(List<Event> events) {
        Map<Explanation.Ref, Event> lastFlapping = new LinkedHashMap<>();
        Map<Explanation.Ref, Instant> lastSettled = new LinkedHashMap<>();
        for (Event e : events) {
            ObjectReference o = e.getInvolvedObject();
            Instant at = time(e);
            if (o == null || at == null) {
                continue;
            }
            Explanation.Ref ref = new Explanation.Ref(o.getKind(), o.getNamespace(), o.getName());
            if (FLAPPING.equals(e.getReason())) {
                Event before = lastFlapping.get(ref);
                if (before == null || time(before).isBefore(at)) {
                    lastFlapping.put(ref, e);
                }
            } else if (SETTLED.equals(e.getReason())) {
                lastSettled.merge(ref, at, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        List<Explanation.Flapping> out = new ArrayList<>();
        lastFlapping.forEach((ref, e) -> {
            Instant settled = lastSettled.get(ref);
            if (settled == null || settled.isBefore(time(e))) {
                out.add(new Explanation.Flapping(ref, time(e).toString(), e.getMessage()));
            }
        });
        out.sort(Comparator.comparing(Explanation.Flapping::source, Comparator.comparing(Explanation.Ref::toString)));
        return out;
    }

    /** When the Event last occurred: lastTimestamp, else eventTime, else firstTimestamp. */
    private static Instant time(Event e) {
        String t = e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime() : e.getFirstTimestamp();
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ex) {
            return null;
        }
    }
}
