package io.podidentity.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    /** What Go's strconv.FormatFloat(v, 'g', -1, 64) prints, as client_golang writes samples. */
    @ParameterizedTest(name = "{0} is written as {1}")
    @CsvSource({
        "0, 0",
        "1, 1",
        "5, 5",
        "12.25, 12.25",
        "0.5, 0.5",
        "0.0001, 0.0001",
        "0.00001, 1e-05",
        "123456, 123456",
        "125000, 125000",
        "1000000, 1e+06",
        "8000000, 8e+06",
        "1234567, 1.234567e+06",
        "-3, -3",
        "1.5e21, 1.5e+21",
        "1e-100, 1e-100",
        "Infinity, +Inf",
        "-Infinity, -Inf",
        "NaN, NaN"
    })
    void numbersAreWrittenAsGoWritesThem(double value, String expected) {
        assertEquals(expected, PrometheusText.goFloat(value));
    }

    @Test
    void labelsAreSortedAndEscapedAsInTheGoClient() {
        StringBuilder out = new StringBuilder();
        new PrometheusText(out)
                .family("x_count", "counter", "Help with \\ and\nnewline and \"quotes\".")
                .sample("x_count", Map.of("verb", "POST", "path", "/a\"b\\c\nd", "code", "200"), 3);
        assertEquals("""
                # HELP x_count Help with \\\\ and\\nnewline and "quotes".
                # TYPE x_count counter
                x_count{code="200",path="/a\\"b\\\\c\\nd",verb="POST"} 3
                """, out.toString());
    }
}
