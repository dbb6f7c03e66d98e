package io.reloader.watch;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which field manager last wrote a source's data, read from its {@code metadata.managedFields}. */
public final class FieldManagers {
    private static final Set<String> DATA_FIELDS = Set.of("f:data", "f:binaryData", "f:stringData");

    private FieldManagers() {
    }

    /**
     * The manager of the newest entry (by {@code time}) whose fields touch {@code data}, {@code binaryData} or
     * {@code stringData}; without such an entry, the manager of the newest entry; null when there is none. Entries
     * without a time count as oldest; of two equally new ones the later in the list wins (second-precision times).
     */
    public static String writerOf(List<ManagedFieldsEntry> entries) {
        if (entries == null || entries.isEmpty()) {
            return null;
        }
        ManagedFieldsEntry newestData = null;
        ManagedFieldsEntry newest = null;
        for (ManagedFieldsEntry e : entries) {
            if (e == null || e.getManager() == null || e.getManager().isEmpty()) {
                continue;
            }
            if (newest == null || !isOlder(e, newest)) {
                newest = e;
            }
            if (touchesData(e) && (newestData == null || !isOlder(e, newestData))) {
                newestData = e;
            }
        }
        ManagedFieldsEntry chosen = newestData != null ? newestData : newest;
        // Interned: a cluster has a handful of managers, and the name may be kept per source.
        return chosen == null ? null : chosen.getManager().intern();
    }

    static boolean touchesData(ManagedFieldsEntry e) {
        if (e.getFieldsV1() == null) {
            return false;
        }
        Map<String, Object> fields = e.getFieldsV1().getAdditionalProperties();
        return fields != null && fields.keySet().stream().anyMatch(DATA_FIELDS::contains);
    }

    /** True when {@code a} is strictly older than {@code b}. */
    private static boolean isOlder(ManagedFieldsEntry a, ManagedFieldsEntry b) {
        OffsetDateTime ta = time(a);
        OffsetDateTime tb = time(b);
        if (ta == null) {
            return tb != null;
        }
        return tb != null && ta.isBefore(tb);
    }

    private static OffsetDateTime time(ManagedFieldsEntry e) {
        if (e.getTime() == null || e.getTime().isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(e.getTime());
        } catch (DateTimeParseException ex) {
            return null;
        }
    }
}
