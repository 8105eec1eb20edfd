package io.podidentity.config;

import java.math.BigInteger;
import java.util.Set;

/**
 * The value syntaxes of Go's {@code strconv} that pflag uses for booleans and integers, so a
 * value the Go webhook accepted is accepted here and one it rejected is rejected.
 */
public final class GoStrconv {

    /** The literals of {@code strconv.ParseBool}, and nothing else. */
    static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private GoStrconv() {
    }

    /** {@code strconv.ParseBool}; {@code null} when the text is not a Go boolean. */
    public static Boolean parseBool(String text) {
        return TRUE.contains(text) ? Boolean.TRUE : FALSE.contains(text) ? Boolean.FALSE : null;
    }

    /**
     * {@code strconv.ParseInt(text, 0, 64)} as pflag calls it: an optional sign, then decimal,
     * {@code 0x} hex, {@code 0o} or leading-{@code 0} octal, or {@code 0b} binary, with
     * {@code _} allowed between digits.
     *
     * @return the value, or {@code null} when the text is not a Go int64
     */
    static Long parseInt(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        int radix = radixOf(s);
        boolean prefixed = radix != 10;
        s = s.substring(prefixLength(s, radix));
        if (!underscoresSeparateDigits(s, prefixed)) {
            return null;
        }
        String digits = s.replace("_", "");
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c < 128 && Character.digit(c, radix) >= 0)) {
            return null;
        }
        BigInteger value = new BigInteger(digits, radix);
        value = negative ? value.negate() : value;
        return value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0 ? null : value.longValue();
    }

    private static int radixOf(String unsigned) {
        if (unsigned.length() < 2 || unsigned.charAt(0) != '0') {
            return 10;
        }
        return switch (Character.toLowerCase(unsigned.charAt(1))) {
            case 'x' -> 16;
            case 'b' -> 2;
            default -> 8; // "0o17" and the older "017"
        };
    }

    private static int prefixLength(String unsigned, int radix) {
        if (radix == 10) {
            return 0;
        }
        char marker = Character.toLowerCase(unsigned.charAt(1));
        return marker == 'x' || marker == 'b' || marker == 'o' ? 2 : 1;
    }

    // Go allows "_" only between digits, or right after a base prefix.
    private static boolean underscoresSeparateDigits(String digits, boolean prefixed) {
        if (digits.endsWith("_") || digits.contains("__")) {
            return false;
        }
        return prefixed || !digits.startsWith("_");
    }
}
