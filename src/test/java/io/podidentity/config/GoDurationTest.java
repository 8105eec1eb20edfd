package io.podidentity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoDurationTest {

    static Stream<Arguments> validDurations() {
        return Stream.of(
                Arguments.of("milliseconds are a unit", "300ms", Duration.ofMillis(300)),
                Arguments.of("a fraction of an hour is allowed", "1.5h", Duration.ofMinutes(90)),
                Arguments.of("units can be chained", "2h45m", Duration.ofMinutes(165)),
                Arguments.of("minutes and seconds chain", "1m30s", Duration.ofSeconds(90)),
                Arguments.of("the bare zero needs no unit", "0", Duration.ZERO),
                Arguments.of("a signed bare zero is zero", "-0", Duration.ZERO),
                Arguments.of("zero with a unit is zero", "0s", Duration.ZERO),
                Arguments.of("a leading plus is allowed", "+5s", Duration.ofSeconds(5)),
                Arguments.of("negative durations parse", "-1m", Duration.ofMinutes(-1)),
                Arguments.of("nanoseconds are a unit", "7ns", Duration.ofNanos(7)),
                Arguments.of("us means microseconds", "3us", Duration.ofNanos(3_000)),
                Arguments.of("the micro sign means microseconds", "3\u00b5s", Duration.ofNanos(3_000)),
                Arguments.of("the Greek mu means microseconds", "3\u03bcs", Duration.ofNanos(3_000)),
                Arguments.of("a fraction may have no leading digit", ".5s", Duration.ofMillis(500)),
                Arguments.of("a number may end in a dot", "5.s", Duration.ofSeconds(5)),
                Arguments.of("sub-nanosecond fractions are dropped", "1.0000000009s", Duration.ofSeconds(1)),
                Arguments.of("the same unit may repeat", "1s1s", Duration.ofSeconds(2)),
                Arguments.of("the largest Go duration fits", "2562047h47m16.854775807s",
                        Duration.ofNanos(Long.MAX_VALUE)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("validDurations")
    void parsesGoDurations(String rule, String text, Duration expected) {
        assertEquals(expected, GoDuration.parse(text));
    }

    static Stream<Arguments> invalidDurations() {
        return Stream.of(
                Arguments.of("a number without a unit is rejected", "10", "expected a number with a unit"),
                Arguments.of("words are rejected", "abc", "expected a number with a unit"),
                Arguments.of("days are not a Go unit", "5d", "unknown unit \"d\""),
                Arguments.of("the empty string is rejected", "", "expected a number with a unit"),
                Arguments.of("a sign alone is rejected", "-", "expected a number with a unit"),
                Arguments.of("a trailing number without unit is rejected", "1m30", "expected a number with a unit"),
                Arguments.of("a unit without a number is rejected", "s", "expected a number with a unit"),
                Arguments.of("a lone dot is not a number", ".s", "expected a number with a unit"),
                Arguments.of("spaces are not allowed", "1 s", "unknown unit \" s\""),
                Arguments.of("upper-case units are not Go units", "1S", "unknown unit \"S\""),
                Arguments.of("a sign in the middle is rejected", "1h-5m", "unknown unit \"h-\""),
                Arguments.of("durations beyond int64 nanoseconds are rejected", "2562048h", "out of range"));
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @MethodSource("invalidDurations")
    void rejectsNonGoDurationsNamingTheValue(String rule, String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
        assertTrue(e.getMessage().startsWith("\"" + text + "\" is not a duration: "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void explainsTheExpectedFormWhenTheUnitIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("10"));
        assertEquals("\"10\" is not a duration: expected a number with a unit such as 500ms, 10s, 1m30s",
                e.getMessage());
    }

    static Stream<Arguments> formattedDurations() {
        return Stream.of(
                Arguments.of("zero is 0s", Duration.ZERO, "0s"),
                Arguments.of("minutes and seconds", Duration.ofSeconds(90), "1m30s"),
                Arguments.of("whole hours keep zero minutes and seconds", Duration.ofHours(1), "1h0m0s"),
                Arguments.of("whole minutes keep zero seconds", Duration.ofSeconds(60), "1m0s"),
                Arguments.of("below a second uses milliseconds", Duration.ofMillis(500), "500ms"),
                Arguments.of("below a millisecond uses the micro sign", Duration.ofNanos(1_500), "1.5\u00b5s"),
                Arguments.of("below a microsecond uses nanoseconds", Duration.ofNanos(42), "42ns"),
                Arguments.of("fractions of a second are trimmed", Duration.ofMillis(1_250), "1.25s"),
                Arguments.of("negative durations get a sign", Duration.ofSeconds(-10), "-10s"),
                Arguments.of("a day is 24h", Duration.ofDays(1), "24h0m0s"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("formattedDurations")
    void formatsLikeGo(String rule, Duration duration, String expected) {
        assertEquals(expected, GoDuration.format(duration));
        assertEquals(duration, GoDuration.parse(expected), "the formatted text parses back");
    }
}
