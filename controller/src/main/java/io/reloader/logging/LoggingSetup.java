package io.reloader.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;

/** Configures Logback from the {@code --log-format} and {@code --log-level} flags. */
public final class LoggingSetup {
    /** Values {@code --log-level} accepts (logrus's names). */
    public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "warning", "error", "fatal",
            "panic");
    /** Values {@code --log-format} accepts; empty means text, as in Reloader. */
    public static final List<String> FORMATS = List.of("", "text", "json");

    private LoggingSetup() {
    }

    public static void configure(String format, String level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        install(context, "json".equals(format), level);
    }

    /** The appender, levels and layout for {@code level} on a context that has none yet. */
    static void install(LoggerContext context, boolean json, String level) {
        LogrusLayout layout = new LogrusLayout();
        layout.setContext(context);
        layout.setJson(json);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(toLevel(level));
        // Library chatter (reconnects, HTTP details) stays out of the controller's log unless asked for.
        Level libraries = toLevel(level).isGreaterOrEqual(Level.WARN) ? toLevel(level) : Level.WARN;
        if (toLevel(level).toInt() <= Level.TRACE_INT) {
            libraries = Level.DEBUG;
        }
        for (String lib : List.of("io.fabric8", "io.vertx", "io.netty", "okhttp3")) {
            context.getLogger(lib).setLevel(libraries);
        }
        // Netty reports tasks rejected by event loops that are shutting down; on exit that is expected.
        context.getLogger("io.netty.util.concurrent.DefaultPromise").setLevel(Level.OFF);
    }

    static Level toLevel(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warn", "warning" -> Level.WARN;
            case "error", "fatal", "panic" -> Level.ERROR;
            default -> Level.INFO;
        };
    }
}
