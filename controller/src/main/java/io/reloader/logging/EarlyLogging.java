package io.reloader.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration before the flags are read (text, info), found by Logback through the service loader.
 * Built in code rather than from a {@code logback.xml}: reading XML loads Logback's configuration interpreter and
 * the JDK's XML parser, several hundred classes kept for the life of the process, for five lines of settings.
 * A {@code logback-test.xml} on the class path (the tests') is left to Logback's own XML configurator.
 */
public final class EarlyLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = EarlyLogging.class.getClassLoader();
        if (loader != null && loader.getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LoggingSetup.install(context, false, "info");
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
