package io.reloader.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogrusLayoutTest {

    private static String layout(boolean json, Level level, String msg) {
        LoggerContext ctx = new LoggerContext();
        LogrusLayout layout = new LogrusLayout();
        layout.setContext(ctx);
        layout.setJson(json);
        layout.start();
        LoggingEvent e = new LoggingEvent("x", ctx.getLogger("reloader"), level, msg, null, null);
        e.setTimeStamp(1786359066000L);
        return layout.doLayout(e);
    }

    @Test
    void textLinesMatchLogrus() {
        String line = layout(false, Level.INFO, "Changes detected in 'cfg' of type 'CONFIGMAP' in namespace 'ns'; "
                + "updated 'web' of type 'Deployment' in namespace 'ns'");
        assertThat(line).matches("time=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)\" level=info "
                + "msg=\"Changes detected in 'cfg' of type 'CONFIGMAP' in namespace 'ns'; updated 'web' of type "
                + "'Deployment' in namespace 'ns'\"\n");
    }

    @Test
    void plainMessagesAreNotQuotedAndWarnIsWarning() {
        assertThat(layout(false, Level.WARN, "plain-word")).endsWith(" level=warning msg=plain-word\n");
        assertThat(layout(false, Level.ERROR, "say \"hi\"")).endsWith(" level=error msg=\"say \\\"hi\\\"\"\n");
    }

    @Test
    void jsonHasLevelMsgTime() {
        assertThat(layout(true, Level.DEBUG, "a <b>")).matches(
                "\\{\"level\":\"debug\",\"msg\":\"a \\\\u003cb\\\\u003e\",\"time\":\"[^\"]+\"}\n");
    }
}
