package io.reloader.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.config.AnnotationKeys;
import io.reloader.hash.SourceHasher;
import io.reloader.model.ChangeType;
import io.reloader.model.KeyDigests;
import io.reloader.model.ReloadCause;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Turns watch events of sources into {@link SourceChange}s (docs/compatibility.md#decision-order): applies the namespace filters and the
 * create/delete switches, and passes an update only when the data hash changed. It keeps one hash per source,
 * never the data, so memory does not grow with the size of Secrets (docs/compatibility.md#hash-only-caches).
 */
public final class ChangeDetector {
    private final AnnotationKeys annotationKeys;
    private final NamespaceFilter namespaces;
    private final boolean reloadOnCreate;
    private final boolean reloadOnDelete;
    private final SourceSink sink;
    private final IntakeListener listener;
    private final Map<SourceRef, SourceState> sources = new ConcurrentHashMap<>();

    /**
     * What is kept per source: its hash, per-key digests, and the two annotations the decision reads. Never data.
     * A hex hash is kept as its bytes (half the size of the string, for tens of thousands of sources).
     */
    public static final class SourceState {
        private final Object hash;
        private final boolean ignored;
        private final boolean matched;
        /** The digests, or only the key names when one key's digest is the start of the hash (see keys()). */
        private final Object keys;
        /** The field manager that wrote the current data (an interned name), or null. */
        private final String manager;

        public SourceState(String hash, boolean ignored, boolean matched, KeyDigests keys, String manager) {
            this.manager = manager;
            this.hash = compact(hash);
            this.ignored = ignored;
            this.matched = matched;
            this.keys = this.hash instanceof byte[] b && keys != null && keys.keys().length == 1
                    && keys.digests()[0] == SourceHasher.first8(b) ? keys.keys() : keys;
        }

        public SourceState(String hash, boolean ignored, boolean matched, KeyDigests keys) {
            this(hash, ignored, matched, keys, null);
        }

        public SourceState(String hash, boolean ignored, boolean matched) {
            this(hash, ignored, matched, null);
        }

        /** The field manager that wrote the current data, or null when not known. */
        public String manager() {
            return manager;
        }

        public String hash() {
            return hash instanceof byte[] b ? HexFormat.of().formatHex(b) : (String) hash;
        }

        public boolean ignored() {
            return ignored;
        }

        public boolean matched() {
            return matched;
        }

        /**
         * A source with one key hashes to the digest of that key's entry, so its per-key digest is the start of
         * its hash and is not kept twice (most sources have one key).
         */
        public KeyDigests keys() {
            return keys instanceof String[] names ? new KeyDigests(names, new long[] {SourceHasher.first8((byte[]) hash)})
                    : (KeyDigests) keys;
        }

        private static Object compact(String hash) {
            if (hash == null || hash.isEmpty() || hash.length() % 2 != 0) {
                return hash;
            }
            for (int i = 0; i < hash.length(); i++) {
                char c = hash.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                    return hash;
                }
            }
            return HexFormat.of().parseHex(hash);
        }
    }

    public ChangeDetector(AnnotationKeys keys, NamespaceFilter namespaces, boolean reloadOnCreate,
                          boolean reloadOnDelete, SourceSink sink, IntakeListener listener) {
        this.annotationKeys = keys;
        this.namespaces = namespaces;
        this.reloadOnCreate = reloadOnCreate;
        this.reloadOnDelete = reloadOnDelete;
        this.sink = sink;
        this.listener = listener;
    }

    /**
     * An object seen for the first time. {@code live} is false for objects of the initial list (and of a
     * relist), which are state we start from, not changes, unless {@code --sync-after-restart} says otherwise.
     */
    public void added(SourceType type, HasMetadata obj, String hash, boolean live) {
        added(type, obj, hash, null, live);
    }

    public void added(SourceType type, HasMetadata obj, String hash, KeyDigests keys, boolean live) {
        listener.received("add", type.resource());
        SourceRef ref = ref(type, obj);
        SourceState now = state(obj, hash, keys);
        SourceState before = sources.put(ref, now);
        String previous = before == null ? null : before.hash();
        if (!reloadOnCreate || !live || !namespaces.admits(ref.namespace())) {
            drop(type, "ignored_or_not_selected");
            return;
        }
        if (previous != null && previous.equals(hash)) {
            // A re-add after a relist with unchanged data is not a creation.
            drop(type, "no_data_change");
            return;
        }
        emit(ref, ChangeType.CREATED, hash, now, before);
    }

    public void updated(SourceType type, HasMetadata obj, String hash) {
        updated(type, obj, hash, null);
    }

    public void updated(SourceType type, HasMetadata obj, String hash, KeyDigests keys) {
        listener.received("update", type.resource());
        SourceRef ref = ref(type, obj);
        SourceState now = state(obj, hash, keys);
        SourceState before = sources.put(ref, now);
        String previous = before == null ? null : before.hash();
        if (!namespaces.admits(ref.namespace())) {
            drop(type, "ignored_or_not_selected");
            return;
        }
        if (hash.equals(previous)) {
            drop(type, "no_data_change");
            return;
        }
        emit(ref, ChangeType.UPDATED, hash, now, before);
    }

    public void deleted(SourceType type, HasMetadata obj) {
        listener.received("delete", type.resource());
        SourceRef ref = ref(type, obj);
        SourceState removed = sources.remove(ref);
        if (!reloadOnDelete || !namespaces.admits(ref.namespace())) {
            drop(type, "ignored_or_not_selected");
            return;
        }
        // A delete may carry the store's reduced copy, which has no annotations: use what was remembered.
        SourceState state = removed != null ? removed : state(obj, "", null);
        emit(ref, ChangeType.DELETED, state.hash(), state, null);
    }

    /**
     * An update of a SecretProviderClassPodStatus (docs/compatibility.md#decision-order): the change is reported for its SecretProviderClass,
     * whose annotations (read only when the data changed) give ignore and match.
     */
    public void podStatusUpdated(SourceRef secretProviderClass, String oldHash, String newHash,
                                 Supplier<Map<String, String>> classAnnotations) {
        listener.received("update", SourceType.SECRETPROVIDERCLASS.resource());
        if (!namespaces.admits(secretProviderClass.namespace())) {
            drop(SourceType.SECRETPROVIDERCLASS, "ignored_or_not_selected");
            return;
        }
        if (newHash.equals(oldHash)) {
            drop(SourceType.SECRETPROVIDERCLASS, "no_data_change");
            return;
        }
        Map<String, String> annotations = classAnnotations.get();
        listener.processed(SourceType.SECRETPROVIDERCLASS.resource(), true);
        sink.accept(new SourceChange(secretProviderClass, ChangeType.UPDATED, newHash,
                keys().ignores(annotations), keys().matches(annotations), null, null,
                oldHash == null ? null : new SourceChange.Prior(oldHash, null)));
    }

    /** PodStatus Adds and Deletes are always dropped, as in Reloader. */
    public void podStatusIgnored(String eventType) {
        listener.received(eventType, SourceType.SECRETPROVIDERCLASS.resource());
        drop(SourceType.SECRETPROVIDERCLASS, "ignored_or_not_selected");
    }

    /**
     * A ServiceAccount seen ({@code --reload-on-serviceaccount-change}), its hash covering only the selected
     * annotations. The first sight of one is state, never a change, whatever it carries and whatever
     * {@code --reload-on-create} says: pods start with the identity their ServiceAccount has. Seen again (a relist,
     * a watch restart) with other annotations than remembered, it is an update.
     */
    public void serviceAccountAdded(HasMetadata obj, String hash, KeyDigests keys) {
        listener.received("add", SourceType.SERVICEACCOUNT.resource());
        SourceRef ref = ref(SourceType.SERVICEACCOUNT, obj);
        SourceState now = new SourceState(hash, false, false, keys, FieldManagers.writerOf(obj.getMetadata().getManagedFields()));
        SourceState before = sources.put(ref, now);
        if (before == null || !namespaces.admits(ref.namespace())) {
            drop(SourceType.SERVICEACCOUNT, "ignored_or_not_selected");
            return;
        }
        if (hash.equals(before.hash())) {
            drop(SourceType.SERVICEACCOUNT, "no_data_change");
            return;
        }
        emit(ref, ChangeType.UPDATED, hash, now, before);
    }

    /**
     * A ServiceAccount updated: a change only when the hash of its selected annotations differs from the one
     * remembered; a label or any other annotation leaves the hash as it was.
     */
    public void serviceAccountUpdated(HasMetadata obj, String hash, KeyDigests keys) {
        listener.received("update", SourceType.SERVICEACCOUNT.resource());
        SourceRef ref = ref(SourceType.SERVICEACCOUNT, obj);
        SourceState now = new SourceState(hash, false, false, keys, FieldManagers.writerOf(obj.getMetadata().getManagedFields()));
        SourceState before = sources.put(ref, now);
        if (!namespaces.admits(ref.namespace())) {
            drop(SourceType.SERVICEACCOUNT, "ignored_or_not_selected");
            return;
        }
        if (before == null || hash.equals(before.hash())) {
            // Not seen before: state, as at first sight. Same hash: a label or an unselected annotation.
            drop(SourceType.SERVICEACCOUNT, before == null ? "ignored_or_not_selected" : "no_data_change");
            return;
        }
        emit(ref, ChangeType.UPDATED, hash, now, before);
    }

    /** A deleted ServiceAccount rolls nothing (its pods cannot run without it); it is forgotten. */
    public void serviceAccountDeleted(HasMetadata obj) {
        listener.received("delete", SourceType.SERVICEACCOUNT.resource());
        sources.remove(ref(SourceType.SERVICEACCOUNT, obj));
        drop(SourceType.SERVICEACCOUNT, "ignored_or_not_selected");
    }

    /** The last state seen for a source, if it exists. */
    public SourceState state(SourceRef ref) {
        return sources.get(ref);
    }

    private SourceState state(HasMetadata obj, String hash, KeyDigests keys) {
        Map<String, String> annotations = obj.getMetadata().getAnnotations();
        return new SourceState(hash, keys().ignores(annotations), keys().matches(annotations), keys,
                FieldManagers.writerOf(obj.getMetadata().getManagedFields()));
    }

    private AnnotationKeys keys() {
        return annotationKeys;
    }

    private void drop(SourceType type, String reason) {
        listener.skipped(reason);
        listener.processed(type.resource(), false);
    }

    /**
     * @param previous the state before (null: unknown): the baseline of workloads that carry no marker, and, for
     *                 the reports, which keys changed
     */
    private void emit(SourceRef ref, ChangeType type, String hash, SourceState state, SourceState previous) {
        listener.processed(ref.type().resource(), true);
        KeyDigests keys = state.keys();
        KeyDigests previousKeys = previous == null ? null : previous.keys();
        java.util.Set<String> changed = keys == null || previousKeys == null ? null
                : type == ChangeType.UPDATED ? keys.changedFrom(previousKeys) : null;
        SourceChange.Prior before = previous == null || type == ChangeType.DELETED ? null
                : new SourceChange.Prior(previous.hash(), previousKeys);
        sink.accept(new SourceChange(ref, type, hash, state.ignored(), state.matched(), keys, changed, before,
                cause(type, keys, previousKeys, state.manager())));
    }

    /**
     * What the reports say changed: the keys that differ from the previous digests (an update, or a source seen
     * again after a relist), every key of a new or deleted source (a removed key counts), none when not known; and
     * who wrote it (nobody for a delete: the writer of the last data did not delete it).
     */
    static ReloadCause cause(ChangeType type, KeyDigests keys, KeyDigests previousKeys, String manager) {
        java.util.Collection<String> names = keys == null ? null
                : previousKeys != null ? keys.changedFrom(previousKeys)
                : type != ChangeType.UPDATED ? java.util.Arrays.asList(keys.keys()) : null;
        return ReloadCause.of(names, type == ChangeType.DELETED ? null : manager);
    }

    private static SourceRef ref(SourceType type, HasMetadata obj) {
        return new SourceRef(type, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }
}
