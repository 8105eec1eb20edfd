package io.podidentity.metrics;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus text exposition format 0.0.4 written as the Go client (client_golang's expfmt,
 * which upstream's webhook uses) writes it: counters under their own name (no {@code _total}),
 * label names sorted, numbers in Go's shortest {@code %g} form ({@code 1e+06}, not
 * {@code 1000000.0}). Dashboards and alerts written against upstream's {@code /metrics} then
 * read this one unchanged.
 */
final class PrometheusText {

    private final StringBuilder out;

    PrometheusText(StringBuilder out) {
        this.out = out;
    }

    /** {@code # HELP} and {@code # TYPE} lines of a metric family. */
    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} are written sorted by name. */
    PrometheusText sample(String name, Map<String, String> labels, double value) {
        return sample(name, labels, null, value);
    }

    /** A histogram bucket: {@code le} comes after the sorted labels, as the Go client writes it. */
    PrometheusText bucket(String name, Map<String, String> labels, String le, double value) {
        return sample(name, labels, le, value);
    }

    private PrometheusText sample(String name, Map<String, String> labels, String le, double value) {
        out.append(name);
        if (!labels.isEmpty() || le != null) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
                first = label(first, label.getKey(), label.getValue());
            }
            if (le != null) {
                label(first, "le", le);
            }
            out.append('}');
        }
        out.append(' ').append(goFloat(value)).append('\n');
        return this;
    }

    private boolean label(boolean first, String name, String value) {
        if (!first) {
            out.append(',');
        }
        out.append(name).append("=\"");
        escape(value, true);
        out.append('"');
        return false;
    }

    // Backslash and newline always; the double quote only inside label values.
    private void escape(String text, boolean quote) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    /**
     * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}: the shortest digits that read back as
     * {@code v}, in exponent form when the decimal exponent is below -4 or at least 6.
     */
    static String goFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        // Double.toString gives the shortest digits that round-trip, as Go's shortest mode does.
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int point = digits.length() - shortest.scale();   // digits before the decimal point
        int exponent = point - 1;
        StringBuilder text = new StringBuilder(value < 0 ? "-" : "");
        if (exponent < -4 || exponent >= 6) {
            text.append(digits.charAt(0));
            if (digits.length() > 1) {
                text.append('.').append(digits, 1, digits.length());
            }
            text.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            text.append(magnitude < 10 ? "0" : "").append(magnitude);
        } else if (point <= 0) {
            text.append("0.").append("0".repeat(-point)).append(digits);
        } else if (point >= digits.length()) {
            text.append(digits).append("0".repeat(point - digits.length()));
        } else {
            text.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
        return text.toString();
    }
}
