package io.reloader.hash;

import java.util.Arrays;

/**
 * A JSON tokenizer over bytes that arrive in chunks of any size, for {@link SourceListDigester}: it checks the
 * grammar (containers, names, colons and commas) and hands each token on as raw bytes, without decoding strings
 * into characters. A string value's fate is the handler's to choose when it starts: passed on in pieces as it
 * arrives, dropped as it arrives, or kept until it ends; only names and kept values are ever buffered whole. That
 * is what makes a list of large Secrets cheap: kubectl's copy of the data is skipped byte by byte, and a value is
 * decoded straight from the bytes it came in. One instance per response; not thread-safe.
 */
final class JsonByteScanner {
    /** What the handler does with a string value. */
    enum StringUse { STREAM, DROP, WHOLE }

    /** Receives the tokens in order; raw slices of the scanner's buffer, valid only during the call. */
    interface Handler {
        void startContainer(boolean object);

        void endContainer(boolean object);

        /** A property name, its bytes between the quotes ({@code escaped}: it holds a backslash escape). */
        void name(byte[] buf, int from, int to, boolean escaped);

        StringUse stringStart();

        /** Part of a {@link StringUse#STREAM} string's raw bytes (escapes as they came). */
        void stringPart(byte[] buf, int from, int to);

        /** The rest of the string: of a {@link StringUse#WHOLE} one, all of it. */
        void stringEnd(byte[] buf, int from, int to, boolean escaped);

        /** A number, {@code true}, {@code false} or {@code null}, as it came. */
        void scalar(byte[] buf, int from, int to);

        /** Whitespace between top-level values (a watch stream's newlines), passed on as it came. */
        void betweenValues(byte[] buf, int from, int to);
    }

    static final int MAX_DEPTH = 1000;

    private static final int VALUE = 0;
    private static final int NAME_OR_END = 1;
    private static final int NAME = 2;
    private static final int COLON = 3;
    private static final int AFTER_VALUE = 4;
    private static final int VALUE_OR_END = 5;

    private final Handler handler;
    private byte[] buf = new byte[16 * 1024];
    private int pos;
    private int end;
    private boolean[] objects = new boolean[32];
    private int depth;
    private int state = VALUE;

    /** An unfinished string: its content starts at {@code contentStart}, scanned up to {@code scan}. */
    private boolean inString;
    private boolean stringIsName;
    private StringUse use;
    private int contentStart;
    private int scan;
    private boolean afterBackslash;
    private boolean escaped;

    JsonByteScanner(Handler handler) {
        this.handler = handler;
    }

    /** Whether the input so far ends between top-level values (nothing open, no unfinished token). */
    boolean betweenValues() {
        return depth == 0 && !inString && pos == end;
    }

    /** Scans the next chunk; what is complete goes to the handler, an unfinished token waits for the next. */
    void feed(byte[] data, int offset, int length) {
        int keep = inString ? contentStart : pos;
        int kept = end - keep;
        if (keep > 0) {
            System.arraycopy(buf, keep, buf, 0, kept);
            pos -= keep;
            scan -= keep;
            contentStart -= keep;
            end = kept;
        }
        if (buf.length - end < length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + length));
        }
        System.arraycopy(data, offset, buf, end, length);
        end += length;
        run();
    }

    private void run() {
        while (true) {
            if (inString && !finishString()) {
                return;
            }
            if (pos == end) {
                return;
            }
            byte b = buf[pos];
            switch (b) {
                case ' ', '\t', '\n', '\r' -> whitespace();
                case '{', '[' -> {
                    expectValue();
                    push(b == '{');
                    handler.startContainer(b == '{');
                    state = b == '{' ? NAME_OR_END : VALUE_OR_END;
                    pos++;
                }
                case '}', ']' -> {
                    boolean object = b == '}';
                    if (depth == 0 || objects[depth - 1] != object
                            || state != (object ? NAME_OR_END : VALUE_OR_END) && state != AFTER_VALUE) {
                        throw malformed();
                    }
                    depth--;
                    handler.endContainer(object);
                    afterValue();
                    pos++;
                }
                case ',' -> {
                    if (depth == 0 || state != AFTER_VALUE) {
                        throw malformed();
                    }
                    state = objects[depth - 1] ? NAME : VALUE;
                    pos++;
                }
                case ':' -> {
                    if (state != COLON) {
                        throw malformed();
                    }
                    state = VALUE;
                    pos++;
                }
                case '"' -> startString();
                default -> {
                    if (!scalar()) {
                        return;
                    }
                }
            }
        }
    }

    private void whitespace() {
        int from = pos;
        while (pos < end && (buf[pos] == ' ' || buf[pos] == '\n' || buf[pos] == '\r' || buf[pos] == '\t')) {
            pos++;
        }
        if (depth == 0) {
            handler.betweenValues(buf, from, pos);
        }
    }

    private void startString() {
        stringIsName = depth > 0 && objects[depth - 1] && (state == NAME_OR_END || state == NAME);
        if (!stringIsName) {
            expectValue();
            use = handler.stringStart();
        }
        inString = true;
        contentStart = pos + 1;
        scan = contentStart;
        afterBackslash = false;
        escaped = false;
    }

    /** Scans on to the closing quote; false when the chunk ends first (a streamed or dropped part goes now). */
    private boolean finishString() {
        int i = scan;
        boolean backslash = afterBackslash;
        byte[] b = buf;
        int n = end;
        while (i < n) {
            byte c = b[i];
            if (backslash) {
                backslash = false;
            } else if (c == '"') {
                break;
            } else if (c == '\\') {
                backslash = true;
                escaped = true;
            } else if (c >= 0 && c < 0x20) {
                throw malformed();
            }
            i++;
        }
        if (i == n) {
            scan = i;
            afterBackslash = backslash;
            if (!stringIsName && use != StringUse.WHOLE) {
                if (use == StringUse.STREAM && scan > contentStart) {
                    handler.stringPart(buf, contentStart, scan);
                }
                contentStart = scan; // passed on or dropped: no need to keep it
            }
            return false;
        }
        inString = false;
        pos = i + 1;
        if (stringIsName) {
            handler.name(buf, contentStart, i, escaped);
            state = COLON;
        } else {
            handler.stringEnd(buf, contentStart, i, escaped);
            afterValue();
        }
        return true;
    }

    /** A number or literal; false when the chunk may end inside it. */
    private boolean scalar() {
        int i = pos;
        while (i < end && isScalarByte(buf[i])) {
            i++;
        }
        if (i == end) {
            return false;
        }
        if (i == pos || !validScalar(pos, i)) {
            throw malformed();
        }
        expectValue();
        handler.scalar(buf, pos, i);
        afterValue();
        pos = i;
        return true;
    }

    private static boolean isScalarByte(byte c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'E';
    }

    private boolean validScalar(int from, int to) {
        byte first = buf[from];
        if (first == '-' || first >= '0' && first <= '9') {
            for (int i = from; i < to; i++) {
                byte c = buf[i];
                if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                    return false;
                }
            }
            return true;
        }
        return literal(from, to, "true") || literal(from, to, "false") || literal(from, to, "null");
    }

    private boolean literal(int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (buf[from + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void expectValue() {
        if (depth > 0 && state != VALUE && state != VALUE_OR_END) {
            throw malformed();
        }
    }

    private void afterValue() {
        state = depth == 0 ? VALUE : AFTER_VALUE;
    }

    private void push(boolean object) {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
        }
        if (depth == objects.length) {
            objects = Arrays.copyOf(objects, depth * 2);
        }
        objects[depth++] = object;
    }

    /** The offset is all a message gives: the bytes around it may be a Secret's. */
    private IllegalStateException malformed() {
        return new IllegalStateException("malformed JSON near byte " + pos + " of the buffered input");
    }
}
