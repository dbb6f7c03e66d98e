package io.reloader.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Weekly windows in which reloads may run, e.g. {@code Mon-Fri 02:00-05:00 Europe/Berlin; Sat 10:00-12:00 UTC}.
 * Each window is days ({@code Mon}, {@code Mon-Fri}, {@code Sat,Sun}, {@code Fri-Mon}, or {@code *} for every
 * day), a time range {@code HH:MM[:SS]-HH:MM[:SS]} in which the start is included and the end is not (an end at
 * or before the start runs past midnight into the next day; {@code 00:00-24:00} is the whole day), and an IANA
 * time zone (default UTC). The days name the day on which the window opens. Pure: the clock is an argument.
 */
public final class ReloadWindows {
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private final String text;
    private final List<Window> windows;

    record Window(Set<DayOfWeek> days, LocalTime start, long lengthSeconds, ZoneId zone) {
    }

    private ReloadWindows(String text, List<Window> windows) {
        this.text = text;
        this.windows = List.copyOf(windows);
    }

    /** @throws IllegalArgumentException naming the part that does not parse */
    public static ReloadWindows parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty reload window");
        }
        List<Window> windows = new ArrayList<>();
        for (String part : text.split(";")) {
            if (!part.isBlank()) {
                windows.add(window(part.trim()));
            }
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("empty reload window");
        }
        return new ReloadWindows(text.trim(), windows);
    }

    private static Window window(String spec) {
        String[] fields = spec.split("\\s+");
        if (fields.length < 2 || fields.length > 3) {
            throw new IllegalArgumentException("'" + spec + "' is not '<days> <HH:MM-HH:MM> [time zone]', e.g. "
                    + "'Mon-Fri 02:00-05:00 Europe/Berlin'");
        }
        Set<DayOfWeek> days = days(fields[0], spec);
        String[] times = fields[1].split("-");
        if (times.length != 2) {
            throw new IllegalArgumentException("'" + fields[1] + "' in '" + spec + "' is not a time range HH:MM-HH:MM");
        }
        LocalTime start = time(times[0], spec);
        long end = times[1].equals("24:00") ? 86_400 : time(times[1], spec).toSecondOfDay();
        long length = end > start.toSecondOfDay() ? end - start.toSecondOfDay() : end + 86_400 - start.toSecondOfDay();
        ZoneId zone;
        try {
            zone = fields.length == 3 ? ZoneId.of(fields[2]) : ZoneId.of("UTC");
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + fields[2] + "' in '" + spec + "'");
        }
        return new Window(days, start, length, zone);
    }

    private static Set<DayOfWeek> days(String field, String spec) {
        if (field.equals("*")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : field.split(",")) {
            String[] range = item.split("-");
            if (range.length > 2) {
                throw new IllegalArgumentException("'" + item + "' in '" + spec + "' is not a day or a day range");
            }
            DayOfWeek from = day(range[0], spec);
            DayOfWeek to = range.length == 2 ? day(range[1], spec) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String name, String spec) {
        int i = DAY_NAMES.indexOf(name.toLowerCase(Locale.ROOT).length() >= 3
                ? name.toLowerCase(Locale.ROOT).substring(0, 3) : name);
        if (i < 0 || (name.length() > 3 && !DayOfWeek.of(i + 1).name().toLowerCase(Locale.ROOT)
                .equals(name.toLowerCase(Locale.ROOT)))) {
            throw new IllegalArgumentException("unknown day '" + name + "' in '" + spec + "' (Mon, Tue, Wed, Thu, Fri, "
                    + "Sat, Sun)");
        }
        return DayOfWeek.of(i + 1);
    }

    private static LocalTime time(String text, String spec) {
        try {
            return LocalTime.parse(text.length() == 4 ? "0" + text : text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' in '" + spec + "' is not a time HH:MM or HH:MM:SS");
        }
    }

    /** True when a window is open at {@code now}. */
    public boolean isOpen(Instant now) {
        return nextOpen(now).equals(now);
    }

    /** {@code now} if a window is open, else the instant the next one opens. */
    public Instant nextOpen(Instant now) {
        Instant best = null;
        for (Window w : windows) {
            Instant candidate = nextOpen(w, now);
            if (best == null || candidate.isBefore(best)) {
                best = candidate;
            }
        }
        return best;
    }

    /** When the window that is open at {@code now} closes, if one is open. */
    public Optional<Instant> closesAfter(Instant now) {
        Instant latest = null;
        for (Window w : windows) {
            for (int back = 1; back >= 0; back--) {
                ZonedDateTime open = openingOn(w, now.atZone(w.zone()).toLocalDate().minusDays(back));
                if (open == null) {
                    continue;
                }
                Instant start = open.toInstant();
                Instant end = start.plusSeconds(w.lengthSeconds());
                if (!now.isBefore(start) && now.isBefore(end) && (latest == null || end.isAfter(latest))) {
                    latest = end;
                }
            }
        }
        return Optional.ofNullable(latest);
    }

    private static Instant nextOpen(Window w, Instant now) {
        LocalDate today = now.atZone(w.zone()).toLocalDate();
        // A window that opened yesterday may still be open; then the ones of the next eight days.
        for (int offset = -1; offset <= 8; offset++) {
            ZonedDateTime open = openingOn(w, today.plusDays(offset));
            if (open == null) {
                continue;
            }
            Instant start = open.toInstant();
            if (!now.isBefore(start) && now.isBefore(start.plusSeconds(w.lengthSeconds()))) {
                return now;
            }
            if (start.isAfter(now)) {
                return start;
            }
        }
        throw new IllegalStateException("a weekly window opens within eight days");
    }

    /** The window's opening on that local date, or null when it does not open that day. */
    private static ZonedDateTime openingOn(Window w, LocalDate date) {
        return w.days().contains(date.getDayOfWeek()) ? date.atTime(w.start()).atZone(w.zone()) : null;
    }

    @Override
    public String toString() {
        return text;
    }
}
