package io.reloader.hash;

import java.util.Arrays;

/**
 * What {@link SourceListDigester} does with each token: copies it to the output as it came, except a source's
 * data maps (collected into {@link SourceDataMaps}, whose digests are written in their place at the source's end)
 * and kubectl's last-applied copy (dropped). It writes the commas itself, since members are left out.
 */
final class SourceListRewriter implements JsonByteScanner.Handler {
    private enum Mode { COPY, FIRST, SECOND, DROP }

    /**
     * Sources whose data is at least this large (as it came) are hashed on another thread: SHA-1 is about half
     * the time a Helm release record takes under C1. Below it, the hand-over would cost more than it saves.
     */
    static final int PARALLEL_FROM = 64 * 1024;

    private final SourceListDigester.Kind kind;
    private final RewrittenOutput out;
    /** Open objects and arrays around the current token: 1 is the list (or watch event), 2 its items array. */
    private int depth;
    /** Per open container: whether something was written into it, so the next member needs a comma. */
    private boolean[] written = new boolean[32];
    private boolean[] objects = new boolean[32];
    /** The depth inside the source being read (2 in a watch event's object, 3 in a list's item), 0 outside one. */
    private int itemDepth;
    /** The property being read at each depth (1 to 5), so a position is known without keeping the document. */
    private final String[] names = new String[6];
    private boolean itemsArray;
    private Mode mode = Mode.COPY;
    /** Containers open inside a value being dropped. */
    private int dropDepth;
    /** The next value is one of the two data maps (set by the property name before it), or one to drop. */
    private Mode pending;
    private String key;
    private SourceDataMaps maps;

    SourceListRewriter(SourceListDigester.Kind kind, SourceDataMaps maps, RewrittenOutput out) {
        this.kind = kind;
        this.maps = maps;
        this.out = out;
    }

    @Override
    public void startContainer(boolean object) {
        if (takeValue(object)) {
            return;
        }
        beforeValue();
        out.put((byte) (object ? '{' : '['));
        if (object && itemDepth == 0 && startsSource()) {
            itemDepth = depth + 1;
        }
        if (depth == 1) {
            itemsArray = !object && "items".equals(names[1]);
        }
        push(object);
    }

    @Override
    public void endContainer(boolean object) {
        switch (mode) {
            case DROP -> {
                if (--dropDepth == 0) {
                    mode = Mode.COPY;
                }
                return;
            }
            case FIRST, SECOND -> {
                mode = Mode.COPY;
                return;
            }
            case COPY -> {
            }
        }
        if (object && itemDepth > 0 && depth == itemDepth) {
            comma();
            SourceDataMaps read = maps;
            maps = read.fresh();
            if (read.bytes() >= PARALLEL_FROM) {
                out.defer(read::render); // hashed on another thread while the next source is read
            } else {
                read.writeAndClear(out);
            }
        }
        out.put((byte) (object ? '}' : ']'));
        depth--;
        if (depth < itemDepth) {
            itemDepth = 0;
        }
        if (depth == 0) {
            out.awaitDeferred(); // a whole list or watch event goes on at once, not held for the next chunk
        }
    }

    @Override
    public void name(byte[] buf, int from, int to, boolean escaped) {
        switch (mode) {
            case DROP -> {
                return;
            }
            case FIRST, SECOND -> {
                key = JsonText.read(buf, from, to, escaped);
                return;
            }
            case COPY -> {
            }
        }
        String name = depth < names.length ? JsonText.read(buf, from, to, escaped) : null;
        if (name != null) {
            names[depth] = name;
            if (itemDepth > 0 && depth == itemDepth && (name.equals(kind.first) || name.equals(kind.second))) {
                pending = name.equals(kind.first) ? Mode.FIRST : Mode.SECOND;
                return;
            }
            if (itemDepth > 0 && depth == itemDepth + 2 && "metadata".equals(names[itemDepth])
                    && "annotations".equals(names[itemDepth + 1]) && name.equals(SourceListDigester.LAST_APPLIED)) {
                pending = Mode.DROP;
                return;
            }
        }
        comma();
        out.put((byte) '"');
        out.put(buf, from, to);
        out.put((byte) '"');
        out.put((byte) ':');
    }

    @Override
    public JsonByteScanner.StringUse stringStart() {
        if (mode == Mode.DROP || pending == Mode.DROP) {
            return JsonByteScanner.StringUse.DROP;
        }
        if (mode != Mode.COPY) {
            return JsonByteScanner.StringUse.WHOLE;
        }
        if (pending != null) {
            throw new IllegalStateException("a source's data is not an object");
        }
        beforeValue();
        out.put((byte) '"');
        return JsonByteScanner.StringUse.STREAM;
    }

    @Override
    public void stringPart(byte[] buf, int from, int to) {
        out.put(buf, from, to);
    }

    @Override
    public void stringEnd(byte[] buf, int from, int to, boolean escaped) {
        switch (mode) {
            case DROP -> {
            }
            case FIRST, SECOND -> maps.put(mode == Mode.SECOND, key, buf, from, to, escaped);
            case COPY -> {
                if (pending == Mode.DROP) {
                    pending = null;
                    return;
                }
                out.put(buf, from, to);
                out.put((byte) '"');
            }
        }
    }

    @Override
    public void scalar(byte[] buf, int from, int to) {
        boolean isNull = to - from == 4 && buf[from] == 'n';
        if (mode == Mode.DROP) {
            return;
        }
        if (mode != Mode.COPY) {
            if (!isNull) {
                throw new IllegalStateException("a source's data value is not a string");
            }
            maps.putEmpty(mode == Mode.SECOND, key);
            return;
        }
        if (pending != null) {
            Mode was = pending;
            pending = null;
            if (isNull || was == Mode.DROP) {
                return; // a null map is no map
            }
            throw new IllegalStateException("a source's data is not an object");
        }
        beforeValue();
        out.put(buf, from, to);
    }

    @Override
    public void betweenValues(byte[] buf, int from, int to) {
        out.put(buf, from, to);
    }

    /**
     * Whether a container that starts here belongs to a value not copied: a data map, kubectl's copy, or
     * anything inside them.
     */
    private boolean takeValue(boolean object) {
        if (mode == Mode.DROP) {
            dropDepth++;
            return true;
        }
        if (mode != Mode.COPY) {
            throw new IllegalStateException("a source's data value is not a string");
        }
        if (pending == null) {
            return false;
        }
        Mode target = pending;
        pending = null;
        if (target != Mode.DROP && !object) {
            throw new IllegalStateException("a source's data is not an object");
        }
        mode = target;
        dropDepth = target == Mode.DROP ? 1 : 0;
        return true;
    }

    /** An object starting here is a source: a watch event's {@code object} or one of a list's {@code items}. */
    private boolean startsSource() {
        return depth == 1 && "object".equals(names[1]) || depth == 2 && itemsArray && "items".equals(names[1]);
    }

    private void push(boolean object) {
        if (depth == written.length) {
            written = Arrays.copyOf(written, depth * 2);
            objects = Arrays.copyOf(objects, depth * 2);
        }
        objects[depth] = object;
        written[depth++] = false;
    }

    /** A value in an array needs a comma before it; in an object, its name got one. */
    private void beforeValue() {
        if (depth > 0 && !objects[depth - 1]) {
            comma();
        }
    }

    private void comma() {
        if (depth > 0) {
            if (written[depth - 1]) {
                out.put((byte) ',');
            }
            written[depth - 1] = true;
        }
    }
}
