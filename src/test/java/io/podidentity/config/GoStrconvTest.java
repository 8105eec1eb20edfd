package io.podidentity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exactly the spellings Go's {@code strconv.ParseBool} accepts, nothing more. */
class GoStrconvTest {

    @ParameterizedTest(name = "\"{0}\" is true")
    @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
    void acceptsGoTrueSpellings(String text) {
        assertEquals(Boolean.TRUE, GoStrconv.parseBool(text));
    }

    @ParameterizedTest(name = "\"{0}\" is false")
    @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
    void acceptsGoFalseSpellings(String text) {
        assertEquals(Boolean.FALSE, GoStrconv.parseBool(text));
    }

    @ParameterizedTest(name = "\"{0}\" is not a boolean")
    @ValueSource(strings = {"", "yes", "no", "on", "off", "y", "n", "tRUE", "fALSE", "TrUe", " true", "true ", "2", "-1", "01", "enabled"})
    void rejectsEverythingElse(String text) {
        assertNull(GoStrconv.parseBool(text));
    }
}
