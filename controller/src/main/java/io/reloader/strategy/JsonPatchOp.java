package io.reloader.strategy;

import java.util.LinkedHashMap;
import java.util.Map;

/** One RFC 6902 JSON Patch operation, as the map the client serialises. */
public final class JsonPatchOp {
    private JsonPatchOp() {
    }

    /** {@code value} is left out for {@code remove}. */
    public static Map<String, Object> of(String op, String path, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("path", path);
        if (!op.equals("remove")) {
            m.put("value", value);
        }
        return m;
    }
}
