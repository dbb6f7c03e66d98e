package io.reloader.strategy;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.reloader.config.GoJson;
import io.reloader.model.SourceType;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The value of {@code reloader.stakater.com/last-reloaded-from} (docs/compatibility.md#strategies): compact JSON with the fields in
 * Reloader's exact order.
 */
public record ReloadedFromMarker(SourceType type, String name, String namespace, String hash,
                                 List<String> containerRefs, long observedAt) {

    public String toJson() {
        StringBuilder refs = new StringBuilder("[");
        for (int i = 0; i < containerRefs.size(); i++) {
            if (i > 0) {
                refs.append(',');
            }
            refs.append(GoJson.quote(containerRefs.get(i)));
        }
        refs.append(']');
        return "{\"type\":" + GoJson.quote(type.name()) + ",\"name\":" + GoJson.quote(name)
                + ",\"namespace\":" + GoJson.quote(namespace) + ",\"hash\":" + GoJson.quote(hash)
                + ",\"containerRefs\":" + refs + ",\"observedAt\":" + observedAt + "}";
    }

    /** Parses a marker written by this project or by Reloader; empty if absent or malformed. */
    public static Optional<ReloadedFromMarker> parse(String json) {
        if (json == null || json.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<?, ?> m = Serialization.unmarshal(json, Map.class);
            SourceType type = SourceType.valueOf(String.valueOf(m.get("type")));
            Object refs = m.get("containerRefs");
            List<String> containers = refs instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
            Object observed = m.get("observedAt");
            long at = observed instanceof Number n ? n.longValue() : 0L;
            return Optional.of(new ReloadedFromMarker(type, String.valueOf(m.get("name")),
                    String.valueOf(m.get("namespace")), String.valueOf(m.get("hash")), containers, at));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
