package io.podidentity.oidc;

/**
 * IAM's {@code StringLike} match: {@code *} is any run of characters (also none), {@code ?} any
 * one character, everything else literal and case-sensitive.
 */
final class StringLike {

    private StringLike() {
    }

    static boolean matches(String pattern, String value) {
        return matches(pattern, 0, value, 0);
    }

    // Greedy backtracking over the last '*' seen: linear for the patterns policies use.
    private static boolean matches(String pattern, int p, String value, int v) {
        int star = -1;
        int mark = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = v;
            } else if (star >= 0) {
                p = star + 1;
                v = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
