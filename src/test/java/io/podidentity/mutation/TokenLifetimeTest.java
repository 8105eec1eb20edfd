package io.podidentity.mutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parsing of token-expiration annotation values, with 3600 s standing in for the fallback. */
class TokenLifetimeTest {

    private static final long FALLBACK = 3600;
    private static final String SOURCE = "pod annotation eks.amazonaws.com/token-expiration";

    private static String notAnInteger(String raw) {
        return SOURCE + ": \"" + raw + "\" is not an integer number of seconds; using 3600";
    }

    private static String raisedToMinimum(String value) {
        return SOURCE + ": " + value + " is below the minimum of 600 seconds; using 600";
    }

    static Stream<Arguments> values() {
        return Stream.of(
                argumentSet("an integer is used as it is", "7200", 7200L, List.of()),
                argumentSet("a leading plus sign is accepted, as Go's ParseInt does", "+7200", 7200L, List.of()),
                argumentSet("exactly the 600 s minimum is accepted silently", "600", 600L, List.of()),
                argumentSet("one second below the minimum is raised to 600", "599", 600L, List.of(raisedToMinimum("599"))),
                argumentSet("zero is raised to 600", "0", 600L, List.of(raisedToMinimum("0"))),
                argumentSet("a negative value is raised to 600", "-5", 600L, List.of(raisedToMinimum("-5"))),
                argumentSet("exactly 2^32 is the largest value the API server accepts", "4294967296", 4294967296L, List.of()),
                argumentSet("above 2^32 the fallback stands", "4294967297", FALLBACK, List.of(SOURCE
                        + ": 4294967297 exceeds the maximum 4294967296 seconds the API server accepts; using 3600")),
                argumentSet("a duration with a unit is not an integer", "1h", FALLBACK, List.of(notAnInteger("1h"))),
                argumentSet("an empty value is not an integer", "", FALLBACK, List.of(notAnInteger(""))),
                argumentSet("surrounding spaces are not accepted, as in Go", " 7200", FALLBACK, List.of(notAnInteger(" 7200"))),
                argumentSet("a decimal is not an integer", "7200.0", FALLBACK, List.of(notAnInteger("7200.0"))),
                argumentSet("digit separators are not accepted", "7_200", FALLBACK, List.of(notAnInteger("7_200"))),
                argumentSet("a sign alone is not an integer", "+", FALLBACK, List.of(notAnInteger("+"))),
                argumentSet("non-ASCII digits are not an integer, as in Go", "７２００", FALLBACK, List.of(notAnInteger("７２００"))),
                argumentSet("a value beyond 64 bits falls back", "99999999999999999999", FALLBACK,
                        List.of(notAnInteger("99999999999999999999"))));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("values")
    void parsesAnnotationValue(String raw, long expected, List<String> expectedWarnings) {
        List<String> warnings = new ArrayList<>();

        long lifetime = TokenLifetime.parse(raw, FALLBACK, SOURCE, warnings);

        assertEquals(expected, lifetime);
        assertEquals(expectedWarnings, warnings);
    }

    static Stream<Arguments> minimums() {
        return Stream.of(
                argumentSet("a lifetime above the minimum is kept", 3600L, 3600L),
                argumentSet("the minimum itself is kept", 600L, 600L),
                argumentSet("a lifetime below the minimum is raised", 1L, 600L),
                argumentSet("a negative lifetime is raised", -600L, 600L));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("minimums")
    void raisesToMinimum(long seconds, long expected) {
        assertEquals(expected, TokenLifetime.atLeastMinimum(seconds));
    }
}
