package io.reloader.policy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.reloader.config.GoStrings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A named-reload annotation value (spec §2.5): comma-separated RE2 patterns, each trimmed and anchored as
 * {@code ^item$}. Items that fail to compile are kept as errors so the caller can report them, and do not stop
 * the later items.
 */
public final class PatternList {
    private static final int CACHE_LIMIT = 2048;
    private static final Map<String, PatternList> CACHE = new ConcurrentHashMap<>();

    private final List<Pattern> patterns;
    private final List<InvalidItem> invalid;

    /** One item that RE2 rejected, with the engine's message. */
    public record InvalidItem(String item, String error) {
    }

    private PatternList(List<Pattern> patterns, List<InvalidItem> invalid) {
        this.patterns = List.copyOf(patterns);
        this.invalid = List.copyOf(invalid);
    }

    /** Parses (and caches, since the same annotation value is evaluated on every change) a pattern list. */
    public static PatternList parse(String value) {
        PatternList cached = CACHE.get(value);
        if (cached != null) {
            return cached;
        }
        List<Pattern> patterns = new ArrayList<>();
        List<InvalidItem> invalid = new ArrayList<>();
        for (String raw : value.split(",", -1)) {
            String item = GoStrings.trimSpace(raw);
            if (item.isEmpty()) {
                continue;
            }
            try {
                patterns.add(Pattern.compile("^" + item + "$"));
            } catch (PatternSyntaxException e) {
                invalid.add(new InvalidItem(item, e.getMessage()));
            }
        }
        PatternList list = new PatternList(patterns, invalid);
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(value, list);
        return list;
    }

    public boolean matches(String name) {
        for (Pattern p : patterns) {
            if (p.matcher(name).find()) {
                return true;
            }
        }
        return false;
    }

    public List<InvalidItem> invalidItems() {
        return invalid;
    }
}
