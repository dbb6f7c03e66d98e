package io.reloader.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import org.slf4j.event.KeyValuePair;
import io.reloader.config.GoJson;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Prints log lines exactly as Reloader's logrus does (docs/compatibility.md#observability), so existing log queries keep working:
 * text {@code time="<RFC 3339>" level=<level> msg="<message>"} or JSON {@code {"level":..,"msg":..,"time":..}}.
 * Exception stack traces are not printed; only the exception's class and message are appended.
 */
public final class LogrusLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private boolean json;

    public void setJson(boolean json) {
        this.json = json;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        String time = RFC3339.format(Instant.ofEpochMilli(event.getTimeStamp()).truncatedTo(ChronoUnit.SECONDS)
                .atZone(ZoneId.systemDefault()));
        String level = level(event.getLevel());
        String msg = event.getFormattedMessage();
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            msg = msg + ": " + t.getClassName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        List<KeyValuePair> fields = event.getKeyValuePairs();
        if (json) {
            if (fields == null || fields.isEmpty()) {
                return "{\"level\":" + GoJson.quote(level) + ",\"msg\":" + GoJson.quote(msg) + ",\"time\":"
                        + GoJson.quote(time) + "}\n";
            }
            // logrus marshals one map: every key, fields included, in sorted order.
            TreeMap<String, String> all = new TreeMap<>();
            for (KeyValuePair kv : fields) {
                all.put(kv.key, jsonValue(kv.value));
            }
            all.put("level", GoJson.quote(level));
            all.put("msg", GoJson.quote(msg));
            all.put("time", GoJson.quote(time));
            StringBuilder out = new StringBuilder("{");
            all.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(GoJson.quote(k)).append(':').append(v));
            return out.append("}\n").toString();
        }
        StringBuilder out = new StringBuilder("time=\"").append(time).append("\" level=").append(level)
                .append(" msg=").append(quoteIfNeeded(msg));
        if (fields != null && !fields.isEmpty()) {
            // logrus's text formatter: time, level, msg, then the fields sorted by key, values as fmt.Sprint.
            TreeMap<String, Object> sorted = new TreeMap<>();
            fields.forEach(kv -> sorted.put(kv.key, kv.value));
            sorted.forEach((k, v) -> out.append(' ').append(k).append('=').append(quoteIfNeeded(textValue(v))));
        }
        return out.append('\n').toString();
    }

    private static String jsonValue(Object value) {
        if (value instanceof Collection<?> c) {
            StringBuilder out = new StringBuilder("[");
            for (Object o : c) {
                out.append(out.length() > 1 ? "," : "").append(GoJson.quote(String.valueOf(o)));
            }
            return out.append(']').toString();
        }
        return GoJson.quote(String.valueOf(value));
    }

    /** Go's {@code fmt.Sprint}: a slice prints as {@code [a b]}. */
    private static String textValue(Object value) {
        if (value instanceof Collection<?> c) {
            StringBuilder out = new StringBuilder("[");
            for (Object o : c) {
                out.append(out.length() > 1 ? " " : "").append(o);
            }
            return out.append(']').toString();
        }
        return String.valueOf(value);
    }

    static String level(Level level) {
        return switch (level.toInt()) {
            case Level.TRACE_INT -> "trace";
            case Level.DEBUG_INT -> "debug";
            case Level.INFO_INT -> "info";
            case Level.WARN_INT -> "warning";
            default -> "error";
        };
    }

    /** logrus quotes a value unless every character is in {@code [A-Za-z0-9-._/@^+]}. */
    static String quoteIfNeeded(String s) {
        if (s.isEmpty()) {
            return "\"\"";
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+';
            if (!plain) {
                return goQuote(s);
            }
        }
        return s;
    }

    /** Go's {@code strconv.Quote} for the characters that occur in practice. */
    static String goQuote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
