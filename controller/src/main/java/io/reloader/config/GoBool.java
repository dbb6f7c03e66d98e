package io.reloader.config;

import java.util.Optional;

/** Go's {@code strconv.ParseBool}: the only boolean syntax Reloader accepts in annotations and bool flags. */
public final class GoBool {
    private GoBool() {
    }

    /** The parsed value, or empty when the text is not a Go bool (including padded or oddly cased text). */
    public static Optional<Boolean> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(Boolean.TRUE);
            case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    /** True only for text that parses as Go true; a parse failure counts as not true. */
    public static boolean isTrue(String text) {
        return parse(text).orElse(Boolean.FALSE);
    }
}
