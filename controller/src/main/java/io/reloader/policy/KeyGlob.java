package io.reloader.policy;

/**
 * Matches a key against a {@code reloader.stakater.com/keys} pattern, in which {@code *} stands for any run of
 * characters and everything else for itself. Greedy and without backtracking: the text between two stars is
 * placed at its leftmost occurrence after the previous one, which is optimal for star-only patterns, so a match
 * costs at most one pass per segment over the key (no regex, no exponential case such as {@code *a*a*a*a*b}).
 */
public final class KeyGlob {
    private KeyGlob() {
    }

    public static boolean matches(String pattern, String key) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(key);
        }
        int lastStar = pattern.lastIndexOf('*');
        String prefix = pattern.substring(0, star);
        String suffix = pattern.substring(lastStar + 1);
        if (key.length() < prefix.length() + suffix.length() || !key.startsWith(prefix) || !key.endsWith(suffix)) {
            return false;
        }
        int at = prefix.length();
        int limit = key.length() - suffix.length();
        int p = star + 1;
        while (p <= lastStar) {
            int next = pattern.indexOf('*', p);
            if (next > p) {
                String segment = pattern.substring(p, next);
                int found = key.indexOf(segment, at);
                if (found < 0 || found + segment.length() > limit) {
                    return false;
                }
                at = found + segment.length();
            }
            p = next + 1;
        }
        return true;
    }
}
