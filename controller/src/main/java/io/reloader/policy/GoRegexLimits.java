package io.reloader.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The limits Go's {@code regexp/syntax} parser enforces, checked before re2j compiles a pattern, because re2j
 * lacks them and expands nested counted repetitions into memory ({@code ((a{1000}){1000}){1000}} would need a
 * billion instructions). Go rejects, and so does this: nested repetition whose counts multiply past 1000 ({@code
 * repeatIsValid}: "invalid repeat count"), a program larger than Go's {@code maxSize} ({@code calcSize}: "expression
 * too large"), and a tree taller than {@code maxHeight} ("expression nests too deeply"). The size is Go's estimate
 * of instructions; {@link Result#size} returns it so callers can apply a tighter budget. One pass, no recursion, so
 * the check itself costs time and memory linear in the pattern's length.
 */
public final class GoRegexLimits {
    /** Go's limit on repetition counts and on their product when nested. */
    static final int MAX_REPEAT = 1000;
    /** Go's {@code maxHeight}. */
    static final int MAX_HEIGHT = 1000;
    /** Go's {@code maxSize}: 128 MiB of 40-byte instructions. */
    static final long MAX_SIZE = (128L << 20) / 40;
    private static final long CAP = Long.MAX_VALUE / 4;

    /** Go's estimate of instructions for a pattern that passed, or the error Go would report. */
    public record Result(long size, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private GoRegexLimits() {
    }

    /** Sizes, heights and repetition needs of a subexpression, as Go's parser would see its node. */
    private record Node(long size, int height, long need) {
        static final Node LEAF = new Node(1, 1, 0);
    }

    /** One open group: the alternatives seen so far and the concatenation being built. */
    private static final class Frame {
        final boolean capture;
        final List<Node> alternatives = new ArrayList<>();
        List<Node> concat = new ArrayList<>();

        Frame(boolean capture) {
            this.capture = capture;
        }
    }

    public static Result check(String pattern) {
        try {
            return new Result(parse(pattern).size(), null);
        } catch (LimitException e) {
            return new Result(-1, e.getMessage());
        }
    }

    private static final class LimitException extends RuntimeException {
        LimitException(String message) {
            super(message, null, false, false);
        }
    }

    private static Node parse(String s) {
        List<Frame> stack = new ArrayList<>();
        stack.add(new Frame(false));
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            Frame top = stack.get(stack.size() - 1);
            switch (c) {
                case '(' -> {
                    boolean capture = true;
                    int j = i + 1;
                    if (j < n && s.charAt(j) == '?') {
                        int close = flagsEnd(s, j + 1);
                        if (close < n && s.charAt(close) == ')') { // (?i): flags only, no group
                            i = close + 1;
                            continue;
                        }
                        capture = j + 1 < n && (s.charAt(j + 1) == 'P' || s.charAt(j + 1) == '<');
                        i = close < n ? close + 1 : n;
                        if (capture) {
                            int gt = s.indexOf('>', j);
                            i = gt < 0 ? n : gt + 1;
                        }
                    } else {
                        i = j;
                    }
                    stack.add(new Frame(capture));
                    if (stack.size() > MAX_HEIGHT) {
                        throw new LimitException("expression nests too deeply");
                    }
                    continue;
                }
                case ')' -> {
                    if (stack.size() == 1) {
                        i++;
                        top.concat.add(Node.LEAF); // unbalanced: re2j reports it
                        continue;
                    }
                    stack.remove(stack.size() - 1);
                    Node group = close(top);
                    if (top.capture) {
                        group = checked(new Node(sat(2 + group.size()), group.height() + 1, group.need()));
                    }
                    stack.get(stack.size() - 1).concat.add(group);
                    i++;
                    continue;
                }
                case '|' -> {
                    top.alternatives.add(concat(top.concat));
                    top.concat = new ArrayList<>();
                    i++;
                    continue;
                }
                case '*', '+', '?' -> {
                    i = nonGreedy(s, i + 1);
                    Node sub = last(top);
                    if (sub != null) {
                        long size = c == '?' || c == '+' ? 1 + sub.size() : 2 + sub.size();
                        replaceLast(top, checked(new Node(sat(size), sub.height() + 1, sub.need())));
                    }
                    continue;
                }
                case '{' -> {
                    int[] repeat = repeat(s, i);
                    if (repeat == null) {
                        top.concat.add(Node.LEAF); // a literal brace
                        i++;
                        continue;
                    }
                    int min = repeat[0];
                    int max = repeat[1];
                    String text = s.substring(i, repeat[2]);
                    i = nonGreedy(s, repeat[2]);
                    if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
                        throw new LimitException("invalid repeat count: `" + text + "`");
                    }
                    Node sub = last(top);
                    if (sub == null) {
                        continue; // re2j reports the missing argument
                    }
                    Node node = checked(repeatNode(sub, min, max));
                    if ((min >= 2 || max >= 2) && node.need() > MAX_REPEAT) {
                        throw new LimitException("invalid repeat count: `" + text + "`");
                    }
                    replaceLast(top, node);
                    continue;
                }
                case '[' -> {
                    i = classEnd(s, i);
                    top.concat.add(Node.LEAF);
                    continue;
                }
                case '\\' -> {
                    if (i + 1 < n && s.charAt(i + 1) == 'Q') {
                        int end = s.indexOf("\\E", i + 2);
                        int stop = end < 0 ? n : end;
                        if (stop > i + 2) {
                            top.concat.add(checked(new Node(stop - i - 2, 1, 0)));
                        }
                        i = end < 0 ? n : end + 2;
                    } else {
                        i = escapeEnd(s, i);
                        top.concat.add(Node.LEAF);
                    }
                    continue;
                }
                default -> {
                    top.concat.add(Node.LEAF);
                    i += Character.charCount(s.codePointAt(i));
                }
            }
        }
        Node root = Node.LEAF;
        for (int k = stack.size() - 1; k >= 0; k--) { // unclosed groups: re2j reports them
            root = close(stack.get(k));
        }
        return root;
    }

    /** x{min,max} as Go sizes it: {@code x{2,5} = xx(x(x(x)?)?)?}. */
    private static Node repeatNode(Node sub, int min, int max) {
        long size;
        if (max == -1) {
            size = min == 0 ? 2 + sub.size() : 1 + mul(min, sub.size());
        } else {
            size = mul(max, sub.size()) + (max - min);
        }
        int m = max == -1 ? min : max;
        long need = m == 0 ? 0 : Math.max(m, mul(m, sub.need()));
        return new Node(Math.max(1, sat(size)), sub.height() + 1, need);
    }

    private static Node close(Frame f) {
        List<Node> alts = new ArrayList<>(f.alternatives);
        alts.add(concat(f.concat));
        if (alts.size() == 1) {
            return alts.get(0);
        }
        long size = alts.size() - 1;
        int height = 0;
        long need = 0;
        for (Node a : alts) {
            size = sat(size + a.size());
            height = Math.max(height, a.height());
            need = Math.max(need, a.need());
        }
        return checked(new Node(size, height + 1, need));
    }

    private static Node concat(List<Node> parts) {
        if (parts.isEmpty()) {
            return Node.LEAF;
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        long size = 0;
        int height = 0;
        long need = 0;
        for (Node p : parts) {
            size = sat(size + p.size());
            height = Math.max(height, p.height());
            need = Math.max(need, p.need());
        }
        return checked(new Node(size, height + 1, need));
    }

    private static Node checked(Node node) {
        if (node.size() > MAX_SIZE) {
            throw new LimitException("expression too large");
        }
        if (node.height() > MAX_HEIGHT) {
            throw new LimitException("expression nests too deeply");
        }
        return node;
    }

    private static Node last(Frame f) {
        return f.concat.isEmpty() ? null : f.concat.get(f.concat.size() - 1);
    }

    private static void replaceLast(Frame f, Node node) {
        f.concat.set(f.concat.size() - 1, node);
    }

    /** Parses {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code i}: min, max (-1: none) and the end index. */
    private static int[] repeat(String s, int i) {
        int j = i + 1;
        int[] min = number(s, j);
        if (min == null) {
            return null;
        }
        j = min[1];
        int max = min[0];
        if (j < s.length() && s.charAt(j) == ',') {
            j++;
            if (j < s.length() && s.charAt(j) == '}') {
                max = -1;
            } else {
                int[] m = number(s, j);
                if (m == null) {
                    return null;
                }
                max = m[0];
                j = m[1];
            }
        }
        if (j >= s.length() || s.charAt(j) != '}') {
            return null;
        }
        return new int[] {min[0], max, j + 1};
    }

    /** A decimal number at {@code i} (capped, so huge counts stay huge): value and end index. */
    private static int[] number(String s, int i) {
        int j = i;
        long value = 0;
        while (j < s.length() && Character.isDigit(s.charAt(j)) && s.charAt(j) < 128) {
            value = Math.min(100_000_000L, value * 10 + (s.charAt(j) - '0'));
            j++;
        }
        return j == i ? null : new int[] {(int) value, j};
    }

    private static int nonGreedy(String s, int i) {
        return i < s.length() && s.charAt(i) == '?' ? i + 1 : i;
    }

    /** End of the flags in {@code (?flags)} or {@code (?flags:}: the index of ')' or ':' (or of a name's start). */
    private static int flagsEnd(String s, int i) {
        int j = i;
        while (j < s.length() && s.charAt(j) != ')' && s.charAt(j) != ':' && s.charAt(j) != '<'
                && s.charAt(j) != 'P') {
            j++;
        }
        return j;
    }

    /** The index after a character class that starts at {@code i}. */
    private static int classEnd(String s, int i) {
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '^') {
            j++;
        }
        if (j < s.length() && s.charAt(j) == ']') {
            j++; // a leading ] is literal
        }
        while (j < s.length() && s.charAt(j) != ']') {
            if (s.charAt(j) == '\\') {
                j = escapeEnd(s, j);
            } else if (s.startsWith("[:", j)) {
                int end = s.indexOf(":]", j + 2);
                j = end < 0 ? j + 1 : end + 2;
            } else {
                j++;
            }
        }
        return Math.min(s.length(), j + 1);
    }

    /** The index after an escape that starts at {@code i} ({@code \d}, {@code \pL}, {@code \p{Greek}}, {@code \x{41}}). */
    private static int escapeEnd(String s, int i) {
        int j = i + 1;
        if (j >= s.length()) {
            return s.length();
        }
        char e = s.charAt(j);
        if ((e == 'p' || e == 'P' || e == 'x') && j + 1 < s.length() && s.charAt(j + 1) == '{') {
            int end = s.indexOf('}', j + 2);
            return end < 0 ? s.length() : end + 1;
        }
        if (e == 'p' || e == 'P') {
            return Math.min(s.length(), j + 2);
        }
        if (e == 'x') {
            return Math.min(s.length(), j + 3);
        }
        return j + Character.charCount(s.codePointAt(j));
    }

    private static long mul(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > CAP / b ? CAP : a * b;
    }

    private static long sat(long v) {
        return Math.min(CAP, v);
    }
}
