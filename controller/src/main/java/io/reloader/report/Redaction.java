package io.reloader.report;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * URLs as they may be logged or written: webhook and alert URLs often carry a token in the user-info or the query
 * (Slack, Teams and Google Chat webhooks do), so both are replaced by {@code REDACTED}; scheme, host, port and
 * path stay, which is what an operator needs to tell which endpoint failed.
 */
public final class Redaction {
    static final String MARK = "REDACTED";

    private Redaction() {
    }

    public static String url(String url) {
        if (url == null || url.isEmpty()) {
            return url;
        }
        try {
            URI u = new URI(url);
            if (u.getHost() == null) {
                return MARK;
            }
            StringBuilder s = new StringBuilder();
            if (u.getScheme() != null) {
                s.append(u.getScheme()).append("://");
            }
            if (u.getRawUserInfo() != null) {
                s.append(MARK).append('@');
            }
            s.append(u.getHost());
            if (u.getPort() >= 0) {
                s.append(':').append(u.getPort());
            }
            if (u.getRawPath() != null) {
                s.append(u.getRawPath());
            }
            if (u.getRawQuery() != null) {
                s.append('?').append(MARK);
            }
            return s.toString();
        } catch (URISyntaxException e) {
            return MARK;
        }
    }

    /** A message that may quote the URL (an exception's), with every copy of it redacted. */
    public static String message(String message, String url) {
        if (message == null) {
            return "";
        }
        return url == null || url.isEmpty() ? message : message.replace(url, url(url));
    }
}
