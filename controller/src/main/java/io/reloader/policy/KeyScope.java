package io.reloader.policy;

import io.reloader.config.AnnotationKeys;
import io.reloader.config.GoBool;
import io.reloader.hash.SourceHasher;
import io.reloader.model.AnnotationProblem;
import io.reloader.model.ChangeType;
import io.reloader.model.KeyDigests;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.spec.KeyReferences;
import io.reloader.spec.WorkloadView;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Key-level precision (project extension, opt-in with {@code --referenced-keys-only} or the workload annotation
 * {@code reloader.stakater.com/referenced-keys-only}): a workload that reads only some keys of a source reloads
 * only when one of them changes, and carries a hash of just those keys. Which keys: those its pod spec reads
 * ({@link KeyReferences}), or those listed in {@code reloader.stakater.com/keys} ({@code source/key}, {@code *}
 * patterns) for {@code envFrom} and whole-volume mounts. Pure.
 */
public final class KeyScope {
    /** Entries a {@code keys} value may list. */
    static final int MAX_ITEMS = 256;
    /** A source name (253) and a key (253), a slash between. */
    static final int MAX_ITEM_LENGTH = 507;
    private final boolean global;

    public KeyScope(boolean referencedKeysOnly) {
        this.global = referencedKeysOnly;
    }

    /** The key patterns the workload follows of a source, or empty when it follows the whole source. */
    public Optional<List<String>> followed(WorkloadView workload, SourceRef source) {
        if (!enabled(workload) || source.type() == io.reloader.model.SourceType.SERVICEACCOUNT) {
            return Optional.empty(); // a ServiceAccount is followed whole: its selected annotations
        }
        List<String> patterns = new ArrayList<>();
        String listed = value(workload, AnnotationKeys.KEYS);
        if (listed != null) {
            for (String entry : items(listed)) {
                int slash = entry.indexOf('/');
                if (slash > 0 && slash < entry.length() - 1 && entry.substring(0, slash).equals(source.name())) {
                    patterns.add(entry.substring(slash + 1));
                }
            }
        }
        Optional<Set<String>> read = KeyReferences.of(workload.podSpec(), source.type(), source.name());
        if (read.isEmpty() && patterns.isEmpty()) {
            return Optional.empty(); // envFrom or a whole volume, and no explicit list: every key
        }
        read.ifPresent(patterns::addAll);
        return Optional.of(List.copyOf(new LinkedHashSet<>(patterns)));
    }

    /**
     * The change as this workload should carry it: with the hash of the keys it follows (a delete, or a change
     * whose keys are not known, stays as it is). Which keys changed does not matter: what is compared is this
     * hash with what the workload carries.
     */
    public SourceChange scope(SourceChange change, WorkloadView workload) {
        if (change.type() == ChangeType.DELETED || change.keys() == null) {
            return change;
        }
        return change.withHash(expectedHash(workload, change.ref(), change.hash(), change.keys()));
    }

    /** The hash this workload should carry for a source whose state is {@code keys}. */
    public String expectedHash(WorkloadView workload, SourceRef source, String fullHash, KeyDigests keys) {
        if (keys == null) {
            return fullHash;
        }
        return followed(workload, source).map(p -> scopedHash(keys, p)).orElse(fullHash);
    }

    /**
     * True when the source's state before the change (the first of its burst) and its state now give this workload
     * the same hash: nothing it follows differs, so a workload that carries no marker for the source, and so runs
     * on the state before, has nothing to catch up on. False when that state is not known, or for a delete.
     */
    public boolean unchangedSince(SourceChange change, WorkloadView workload) {
        SourceChange.Prior before = change.before();
        if (before == null || before.hash() == null || change.type() == ChangeType.DELETED) {
            return false;
        }
        return expectedHash(workload, change.ref(), before.hash(), before.keys())
                .equals(expectedHash(workload, change.ref(), change.hash(), change.keys()));
    }

    private static String scopedHash(KeyDigests keys, List<String> patterns) {
        Set<String> selected = new LinkedHashSet<>();
        for (String p : patterns) {
            if (p.contains("*")) {
                for (String k : keys.keys()) {
                    if (matches(List.of(p), k)) {
                        selected.add(k);
                    }
                }
            } else {
                selected.add(p); // also when absent: a removed key changes the hash
            }
        }
        return SourceHasher.keyScoped(keys, selected);
    }

    private static boolean matches(List<String> patterns, String key) {
        for (String p : patterns) {
            if (KeyGlob.matches(p, key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The trimmed, non-empty entries of a {@code keys} value: at most {@value #MAX_ITEMS}, each at most
     * {@value #MAX_ITEM_LENGTH} characters (longer ones are skipped); {@link #lint} reports what is left out.
     */
    static List<String> items(String value) {
        List<String> items = new ArrayList<>();
        int start = 0;
        while (start <= value.length() && items.size() < MAX_ITEMS) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String entry = value.substring(start, end).trim();
            start = end + 1;
            if (!entry.isEmpty() && entry.length() <= MAX_ITEM_LENGTH) {
                items.add(entry);
            }
        }
        return items;
    }

    /** Entries beyond the first {@value #MAX_ITEMS}, and entries too long to be a source name and a key. */
    private static List<String> excess(String value) {
        List<String> out = new ArrayList<>();
        int count = 0;
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String entry = value.substring(start, end).trim();
            start = end + 1;
            if (entry.isEmpty()) {
                continue;
            }
            if (++count > MAX_ITEMS) {
                out.add("the list has more than " + MAX_ITEMS + " entries; \"" + AnnotationLint.abbreviate(entry)
                        + "\" and every later one are ignored");
                break;
            }
            if (entry.length() > MAX_ITEM_LENGTH) {
                out.add("entry \"" + AnnotationLint.abbreviate(entry) + "\" is longer than " + MAX_ITEM_LENGTH
                        + " characters and is ignored");
            }
        }
        return out;
    }

    private boolean enabled(WorkloadView workload) {
        String value = value(workload, AnnotationKeys.REFERENCED_KEYS_ONLY);
        if (value != null && !value.isEmpty()) {
            return GoBool.parse(value).orElse(global);
        }
        return global;
    }

    /** Invalid values of the two annotations, naming the key. */
    public static List<AnnotationProblem> lint(WorkloadView workload) {
        List<AnnotationProblem> problems = new ArrayList<>();
        String flag = value(workload, AnnotationKeys.REFERENCED_KEYS_ONLY);
        if (flag != null && !flag.isEmpty() && GoBool.parse(flag).isEmpty()) {
            problems.add(new AnnotationProblem(AnnotationKeys.REFERENCED_KEYS_ONLY, flag, "invalid boolean \""
                    + AnnotationLint.abbreviate(flag) + "\" (allowed: true, false); --referenced-keys-only applies"));
        }
        String keys = value(workload, AnnotationKeys.KEYS);
        if (keys != null) {
            excess(keys).forEach(m -> problems.add(new AnnotationProblem(AnnotationKeys.KEYS, keys, m)));
            for (String entry : items(keys)) {
                int slash = entry.indexOf('/');
                if (!entry.isEmpty() && (slash <= 0 || slash == entry.length() - 1)) {
                    problems.add(new AnnotationProblem(AnnotationKeys.KEYS, keys, "invalid entry \""
                            + AnnotationLint.abbreviate(entry) + "\": expected <source name>/<key> (the key may use *)"));
                }
            }
        }
        return problems;
    }

    private static String value(WorkloadView workload, String key) {
        Map<String, String> meta = workload.metadataAnnotations();
        return meta.containsKey(key) ? meta.get(key) : workload.templateAnnotations().get(key);
    }
}
