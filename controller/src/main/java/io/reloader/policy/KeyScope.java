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
import java.util.regex.Pattern;

/**
 * Key-level precision (project extension, opt-in with {@code --referenced-keys-only} or the workload annotation
 * {@code reloader.stakater.com/referenced-keys-only}): a workload that reads only some keys of a source reloads
 * only when one of them changes, and carries a hash of just those keys. Which keys: those its pod spec reads
 * ({@link KeyReferences}), or those listed in {@code reloader.stakater.com/keys} ({@code source/key}, {@code *}
 * patterns) for {@code envFrom} and whole-volume mounts. Pure.
 */
public final class KeyScope {
    private final boolean global;

    public KeyScope(boolean referencedKeysOnly) {
        this.global = referencedKeysOnly;
    }

    /** The key patterns the workload follows of a source, or empty when it follows the whole source. */
    public Optional<List<String>> followed(WorkloadView workload, SourceRef source) {
        if (!enabled(workload)) {
            return Optional.empty();
        }
        List<String> patterns = new ArrayList<>();
        String listed = value(workload, AnnotationKeys.KEYS);
        if (listed != null) {
            for (String item : listed.split(",")) {
                String entry = item.trim();
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
     * The change as this workload sees it: empty when none of the keys it follows changed; otherwise the change
     * with the hash of those keys (a delete, or a change whose keys are not known, stays as it is).
     */
    public Optional<SourceChange> scope(SourceChange change, WorkloadView workload) {
        if (change.type() == ChangeType.DELETED || change.keys() == null) {
            return Optional.of(change);
        }
        Optional<List<String>> patterns = followed(workload, change.ref());
        if (patterns.isEmpty()) {
            return Optional.of(change);
        }
        if (change.changedKeys() != null && change.changedKeys().stream().noneMatch(k -> matches(patterns.get(), k))) {
            return Optional.empty();
        }
        return Optional.of(change.withHash(scopedHash(change.keys(), patterns.get())));
    }

    /** The hash this workload should carry for a source whose state is {@code keys} (for catch-up). */
    public String expectedHash(WorkloadView workload, SourceRef source, String fullHash, KeyDigests keys) {
        if (keys == null) {
            return fullHash;
        }
        return followed(workload, source).map(p -> scopedHash(keys, p)).orElse(fullHash);
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
            if (p.contains("*") ? Pattern.compile(glob(p)).matcher(key).matches() : p.equals(key)) {
                return true;
            }
        }
        return false;
    }

    private static String glob(String pattern) {
        StringBuilder re = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return re.toString();
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
            for (String item : keys.split(",")) {
                String entry = item.trim();
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
