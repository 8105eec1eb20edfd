package io.podidentity.mutation;

import java.util.List;

/** Token lifetime rules shared by ServiceAccount, ConfigMap and pod settings. */
public final class TokenLifetime {

    /** kube-apiserver refuses projected tokens shorter than ten minutes. */
    public static final long MIN = 600;
    /** Upstream's default, the EKS maximum: 24 hours. */
    public static final long DEFAULT = 86_400;
    /** Lower end of the jitter applied to a default-lifetime container-credentials token. */
    public static final long JITTER_MIN = 79_200;
    /** kube-apiserver refuses {@code expirationSeconds} above 2^32. */
    public static final long MAX = 1L << 32;

    private TokenLifetime() {}

    /** Raises a lifetime below {@link #MIN} to {@link #MIN}, as upstream does. */
    public static long atLeastMinimum(long seconds) {
        return Math.max(seconds, MIN);
    }

    /**
     * Parses a lifetime annotation value the way upstream does (a base-10 integer; below the
     * minimum raised to it) and says what is wrong with it, if anything.
     *
     * @param raw the annotation value
     * @param fallback the lifetime that stands when {@code raw} is unusable
     * @param source names the annotation in warnings, e.g. {@code pod annotation eks.amazonaws.com/token-expiration}
     * @param warnings receives one line per problem
     */
    public static long parse(String raw, long fallback, String source, List<String> warnings) {
        Long parsed = goParseInt(raw);
        if (parsed == null) {
            warnings.add(source + ": \"" + raw + "\" is not an integer number of seconds; using " + fallback);
            return fallback;
        }
        long value = parsed;
        if (value > MAX) {
            warnings.add(source + ": " + value + " exceeds the maximum " + MAX
                    + " seconds the API server accepts; using " + fallback);
            return fallback;
        }
        if (value < MIN) {
            warnings.add(source + ": " + value + " is below the minimum of " + MIN + " seconds; using " + MIN);
            return MIN;
        }
        return value;
    }

    /**
     * Go's {@code strconv.ParseInt(raw, 10, 64)}: an optional sign and the digits 0-9 only
     * ({@code Long.parseLong} alone also takes other scripts' digits, such as "７２００").
     *
     * @return the value, or {@code null} when {@code raw} is not such an integer or exceeds 64 bits
     */
    private static Long goParseInt(String raw) {
        int start = raw.startsWith("+") || raw.startsWith("-") ? 1 : 0;
        if (start == raw.length()) {
            return null;
        }
        for (int i = start; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
