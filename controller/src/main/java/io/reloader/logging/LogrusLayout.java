package io.reloader.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import io.reloader.config.GoJson;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Prints log lines exactly as Reloader's logrus does (spec §9.3), so existing log queries keep working:
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
        if (json) {
            return "{\"level\":" + GoJson.quote(level) + ",\"msg\":" + GoJson.quote(msg) + ",\"time\":"
                    + GoJson.quote(time) + "}\n";
        }
        return "time=\"" + time + "\" level=" + level + " msg=" + quoteIfNeeded(msg) + "\n";
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
