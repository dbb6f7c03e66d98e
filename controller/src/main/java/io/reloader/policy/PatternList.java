package io.reloader.policy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.reloader.config.GoStrings;

import java.util.ArrayList;
import java.util.List;

/**
 * A named-reload annotation value (docs/compatibility.md#value-parsing): comma-separated RE2 patterns, each trimmed and anchored as
 * {@code ^item$}. Items that fail to compile are kept as errors so the caller can report them, and do not stop
 * the later items; an invalid item matches nothing.
 *
 * <p>What one value can cost is bounded: at most {@value #MAX_ITEMS} items (the rest are one invalid item),
 * each at most {@value #MAX_ITEM_LENGTH} characters; Go's parser limits apply before re2j compiles
 * ({@link GoRegexLimits}); and a compiled item may hold at most {@value #ITEM_BUDGET} instructions, a whole value
 * {@value #LIST_BUDGET} (Go's own limit, 3.3 million, would not fit a 128 MiB heap: re2j spends up to about 80
 * bytes per instruction). Parsed values are cached by the bytes they hold ({@value #CACHE_BYTES} in all).
 */
public final class PatternList {
    static final int MAX_ITEMS = 256;
    static final int MAX_ITEM_LENGTH = 4096;
    static final long ITEM_BUDGET = 5_000;
    static final long LIST_BUDGET = 10_000;
    static final long CACHE_BYTES = 4L << 20;
    /** What re2j holds per instruction of Go's estimate, at worst (measured: 9 to 75 bytes). */
    private static final long BYTES_PER_INSTRUCTION = 80;
    private static final BoundedCache<String, PatternList> CACHE = new BoundedCache<>(CACHE_BYTES, PatternList::weight);

    private final List<Pattern> patterns;
    private final List<InvalidItem> invalid;
    private final long weight;

    /** One item that was rejected, with the reason; {@code item} is shortened for messages. */
    public record InvalidItem(String item, String error) {
    }

    private PatternList(List<Pattern> patterns, List<InvalidItem> invalid, long weight) {
        this.patterns = List.copyOf(patterns);
        this.invalid = List.copyOf(invalid);
        this.weight = weight;
    }

    /** Parses (and caches, since the same annotation value is evaluated on every change) a pattern list. */
    public static PatternList parse(String value) {
        PatternList cached = CACHE.get(value);
        if (cached != null) {
            return cached;
        }
        PatternList list = compile(value);
        CACHE.put(value, list);
        return list;
    }

    private static PatternList compile(String value) {
        List<Pattern> patterns = new ArrayList<>();
        List<InvalidItem> invalid = new ArrayList<>();
        long budget = LIST_BUDGET;
        long weight = 64 + 2L * value.length();
        int items = 0;
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String item = GoStrings.trimSpace(value.substring(start, end));
            start = end + 1;
            if (item.isEmpty()) {
                continue;
            }
            if (++items > MAX_ITEMS) {
                invalid.add(new InvalidItem(AnnotationLint.abbreviate(item), "the list has more than " + MAX_ITEMS
                        + " items; this one and every later one match nothing"));
                break;
            }
            String shown = AnnotationLint.abbreviate(item);
            if (item.length() > MAX_ITEM_LENGTH) {
                invalid.add(new InvalidItem(shown, "pattern longer than " + MAX_ITEM_LENGTH + " characters"));
                continue;
            }
            GoRegexLimits.Result limits = GoRegexLimits.check(item);
            if (!limits.ok()) {
                invalid.add(new InvalidItem(shown, "error parsing regexp: " + limits.error() + ": `" + shown + "`"));
                continue;
            }
            if (limits.size() > ITEM_BUDGET || limits.size() > budget) {
                invalid.add(new InvalidItem(shown, "error parsing regexp: expression too large: `" + shown
                        + "` (at most " + ITEM_BUDGET + " instructions a pattern, " + LIST_BUDGET + " a list)"));
                continue;
            }
            try {
                patterns.add(Pattern.compile("^" + item + "$"));
                budget -= limits.size();
                weight += 128 + 2L * item.length() + limits.size() * BYTES_PER_INSTRUCTION;
            } catch (PatternSyntaxException e) {
                invalid.add(new InvalidItem(shown, AnnotationLint.abbreviate(e.getMessage())));
            } catch (RuntimeException | StackOverflowError e) {
                // a last guard: whatever re2j throws makes this item invalid, never the controller's problem
                invalid.add(new InvalidItem(shown, "error parsing regexp: " + e.getClass().getSimpleName()));
            }
        }
        weight += 64L * invalid.size();
        return new PatternList(patterns, invalid, weight);
    }

    private static long weight(PatternList list) {
        return list.weight;
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

    /** Bytes the cache holds now (for tests of its bound). */
    static long cachedBytes() {
        return CACHE.bytes();
    }
}
