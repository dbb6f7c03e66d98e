package io.reloader.hash;

import java.nio.charset.StandardCharsets;

/** JSON string text for {@link SourceListDigester}: reading a string's escapes, and writing a string. */
final class JsonText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JsonText() {
    }

    /** The string whose raw bytes between the quotes are given; escapes resolved, UTF-8 decoded. */
    static String read(byte[] buf, int from, int to, boolean escaped) {
        if (!escaped) {
            return new String(buf, from, to - from, StandardCharsets.UTF_8);
        }
        StringBuilder text = new StringBuilder(to - from);
        int run = from;
        int i = from;
        while (i < to) {
            if (buf[i] != '\\') {
                i++;
                continue;
            }
            text.append(new String(buf, run, i - run, StandardCharsets.UTF_8));
            if (i + 1 >= to) {
                throw malformed();
            }
            byte e = buf[i + 1];
            i += 2;
            switch (e) {
                case '"', '\\', '/' -> text.append((char) e);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    if (i + 4 > to) {
                        throw malformed();
                    }
                    text.append((char) hex4(buf, i));
                    i += 4;
                }
                default -> throw malformed();
            }
            run = i;
        }
        return text.append(new String(buf, run, to - run, StandardCharsets.UTF_8)).toString();
    }

    private static int hex4(byte[] buf, int at) {
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(buf[i], 16);
            if (digit < 0) {
                throw malformed();
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** A JSON string, quotes included, appended to {@code out}. */
    static void write(RewrittenOutput out, String text) {
        out.put((byte) '"');
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int run = 0;
        for (int i = 0; i < utf8.length; i++) {
            int c = utf8[i] & 0xff;
            if (c == '"' || c == '\\' || c < 0x20) {
                out.put(utf8, run, i);
                out.put((byte) '\\');
                if (c == '"' || c == '\\') {
                    out.put((byte) c);
                } else {
                    out.put((byte) 'u');
                    out.put((byte) '0');
                    out.put((byte) '0');
                    out.put(HEX[c >> 4]);
                    out.put(HEX[c & 0xf]);
                }
                run = i + 1;
            }
        }
        out.put(utf8, run, utf8.length);
        out.put((byte) '"');
    }

    private static IllegalStateException malformed() {
        return new IllegalStateException("a malformed escape in a JSON string");
    }
}
