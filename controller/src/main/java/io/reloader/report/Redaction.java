package io.reloader.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URLs as they may be logged or written. Slack, Teams and Discord webhooks carry their secret in the path, others
 * in the user-info or the query, so only scheme and host survive: {@code https://hooks.slack.com/…}. That is
 * enough to tell which endpoint failed, and nothing an attacker could post to.
 */
public final class Redaction {
    static final String MARK = "REDACTED";
    static final String ELIDED = "/\u2026";
    /** Anything that looks like an absolute URL inside free text (an exception message, say). */
    private static final Pattern URL_IN_TEXT = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^\\s'\"<>()\\[\\]{},;]+");

    private Redaction() {
    }

    /** {@code scheme://host[:port]/…}; {@code REDACTED} when the text is not a URL with a host. */
    public static String url(String url) {
        if (url == null || url.isEmpty()) {
            return url;
        }
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                return MARK;
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "") + ELIDED;
        } catch (URISyntaxException e) {
            return MARK;
        }
    }

    /**
     * A message that may quote the URL (an HTTP client's exception), with every URL in it redacted, and any bare
     * copy of the configured URL's path, query or user-info removed as well.
     */
    public static String message(String message, String url) {
        if (message == null) {
            return "";
        }
        String m = message;
        if (url != null && !url.isEmpty()) {
            m = m.replace(url, url(url));
            try {
                URI u = new URI(url.trim());
                m = cut(m, u.getRawUserInfo(), MARK);
                m = cut(m, u.getUserInfo(), MARK);
                m = cut(m, u.getRawQuery(), MARK);
                m = cut(m, u.getQuery(), MARK);
                String path = u.getRawPath();
                if (path != null && path.length() > 1) {
                    m = cut(m, path, ELIDED);
                    m = cut(m, u.getPath(), ELIDED);
                }
            } catch (URISyntaxException e) {
                // not a URI: the generic pass below still applies
            }
        }
        Matcher matcher = URL_IN_TEXT.matcher(m);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(url(matcher.group())));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String cut(String text, String part, String mark) {
        return part == null || part.isEmpty() ? text : text.replace(part, mark);
    }
}
