package io.podidentity.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.Duration} text form, so that duration flags written for the Go webhook
 * ({@code --resync-period=60s}) mean the same here.
 *
 * <p>The grammar is that of Go's {@code time.ParseDuration}: an optional sign, then one or more
 * decimal numbers, each with an optional fraction and a unit ({@code ns}, {@code us},
 * {@code µs}, {@code μs}, {@code ms}, {@code s}, {@code m}, {@code h}). The bare string
 * {@code 0} is zero. Negative durations are accepted; callers decide whether they make sense.
 */
public final class GoDuration {

    private static final String EXPECTED = "expected a number with a unit such as 500ms, 10s, 1m30s";

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // micro sign, what Go prints
            "\u03bcs", 1_000L, // Greek small letter mu, also accepted by Go
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    // Go stores a duration as int64 nanoseconds; larger values are an error there, so here too.
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);

    private GoDuration() {
    }

    /**
     * Parses a Go duration string.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw invalid("", EXPECTED);
        }
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text, EXPECTED);
        }
        BigInteger total = BigInteger.ZERO;
        int i = 0;
        while (i < s.length()) {
            int numberStart = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            boolean hasWhole = i > numberStart;
            boolean hasFraction = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    i++;
                }
                hasFraction = i > fractionStart;
            }
            if (!hasWhole && !hasFraction) {
                throw invalid(text, EXPECTED);
            }
            String number = s.substring(numberStart, i);
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw invalid(text, EXPECTED);
            }
            Long unitNanos = NANOS_PER_UNIT.get(unit);
            if (unitNanos == null) {
                throw invalid(text, "unknown unit \"" + unit + "\", expected one of ns, us, \u00b5s, ms, s, m, h");
            }
            // Go drops sub-nanosecond remainders of each element; RoundingMode.DOWN does the same.
            total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos))
                    .setScale(0, RoundingMode.DOWN).toBigInteger());
        }
        if (negative) {
            total = total.negate();
        }
        if (total.compareTo(MAX_NANOS) > 0 || total.compareTo(MIN_NANOS) < 0) {
            throw invalid(text, "out of range, the largest duration is about 2562047h");
        }
        return Duration.ofNanos(total.longValueExact());
    }

    /**
     * Formats a duration the way Go's {@code Duration.String()} does: {@code 1h0m0s},
     * {@code 1m30s}, {@code 500ms}, {@code 1.5µs}, {@code 0s}.
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        String sign = duration.isNegative() ? "-" : "";
        Duration d = duration.abs();
        long seconds = d.getSeconds();
        int nanos = d.getNano();
        if (seconds == 0) {
            if (nanos < 1_000) {
                return sign + nanos + "ns";
            }
            if (nanos < 1_000_000) {
                return sign + withFraction(nanos / 1_000, nanos % 1_000, 3) + "\u00b5s";
            }
            return sign + withFraction(nanos / 1_000_000, nanos % 1_000_000, 6) + "ms";
        }
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        StringBuilder out = new StringBuilder(sign);
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(withFraction(seconds % 60, nanos, 9)).append('s').toString();
    }

    private static String withFraction(long whole, long fraction, int digits) {
        if (fraction == 0) {
            return Long.toString(whole);
        }
        String padded = String.format("%0" + digits + "d", fraction);
        return whole + "." + padded.replaceAll("0+$", "");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration: " + why);
    }
}
