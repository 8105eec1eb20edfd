package io.podidentity.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Upstream's six metric families as the Go webhook exposes them
 * (src/test/resources/metrics/upstream-metrics.golden, taken from its real /metrics after one
 * mutated admission and one for a ServiceAccount missing from its cache), and the check that a
 * /metrics text has them: HELP, TYPE, sample names, label names, bucket bounds.
 */
public final class UpstreamMetrics {

    private UpstreamMetrics() {}

    /**
     * Fails unless every golden line is in {@code metrics} (values aside), and every line of those
     * families in {@code metrics} has one of the golden shapes (other label values are allowed).
     */
    public static void assertMatchesGolden(String metrics) {
        List<String> golden = golden();
        Set<String> families = golden.stream().filter(line -> line.startsWith("# TYPE "))
                .map(line -> line.split(" ")[2]).collect(Collectors.toSet());
        List<String> ours = metrics.lines().map(UpstreamMetrics::withoutValue)
                .filter(line -> families.stream().anyMatch(family -> inFamily(line, family))).toList();
        for (String line : golden) {
            assertTrue(ours.contains(line), "upstream has, this webhook lacks: " + line + "\nours:\n" + String.join("\n", ours));
        }
        Set<String> shapes = golden.stream().map(UpstreamMetrics::shape).collect(Collectors.toSet());
        for (String line : ours) {
            assertTrue(shapes.contains(shape(line)), "not a shape upstream exposes: " + line);
        }
    }

    private static List<String> golden() {
        try (InputStream in = UpstreamMetrics.class.getResourceAsStream("/metrics/upstream-metrics.golden")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("# ") || line.startsWith("# HELP ") || line.startsWith("# TYPE "))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withoutValue(String line) {
        return line.startsWith("#") ? line : line.replaceFirst(" [^ ]+$", " VALUE");
    }

    /** Is the line the family's HELP or TYPE, or one of its samples (a histogram's _bucket, _sum, _count)? */
    private static boolean inFamily(String line, String family) {
        String name = line.startsWith("# ") ? line.split(" ")[2] : line.split("[{ ]")[0];
        return name.equals(family) || name.equals(family + "_bucket") || name.equals(family + "_sum")
                || name.equals(family + "_count");
    }

    /** A sample line with its label values blanked (but a bucket's bound), or a HELP/TYPE line. */
    private static String shape(String line) {
        return line.startsWith("#") ? line : line.replaceAll("(?<!le)=\"[^\"]*\"", "=\"\"");
    }
}
