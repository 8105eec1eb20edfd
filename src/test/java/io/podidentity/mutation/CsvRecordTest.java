package io.podidentity.mutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The skip-containers value is read like Go's {@code encoding/csv} reads one record (no lazy quotes). */
class CsvRecordTest {

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                argumentSet("a single name is one field", "app", List.of("app")),
                argumentSet("commas separate fields", "a,b,c", List.of("a", "b", "c")),
                argumentSet("spaces stay part of the field (trimming is the caller's job)", " a , b ", List.of(" a ", " b ")),
                argumentSet("a quoted field may contain commas", "\"a,b\",c", List.of("a,b", "c")),
                argumentSet("a doubled quote inside a quoted field is one quote", "\"say \"\"hi\"\"\"", List.of("say \"hi\"")),
                argumentSet("an empty quoted field is an empty field", "\"\"", List.of("")),
                argumentSet("a trailing comma gives an empty last field", "a,", List.of("a", "")),
                argumentSet("a leading comma gives an empty first field", ",a", List.of("", "a")),
                argumentSet("a lone comma is two empty fields", ",", List.of("", "")),
                argumentSet("a value of spaces only is one field of spaces", "   ", List.of("   ")),
                argumentSet("only the first record is read", "a,b\nc,d", List.of("a", "b")),
                argumentSet("CRLF ends the record", "a,b\r\nc", List.of("a", "b")),
                argumentSet("a leading newline is skipped", "\na,b", List.of("a", "b")),
                argumentSet("several leading empty lines, LF and CRLF, are skipped", "\n\r\n\nx", List.of("x")),
                argumentSet("a quoted field may span lines", "\"a\nb\",c", List.of("a\nb", "c")),
                argumentSet("a line end right after a closing quote ends the record", "\"a\"\nb", List.of("a")));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("wellFormed")
    void readsFirstRecord(String text, List<String> fields) {
        assertEquals(fields, CsvRecord.parse(text));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                argumentSet("a bare quote inside an unquoted field", "a\"b", "bare \" in unquoted field 1"),
                argumentSet("a bare quote in the second field names that field", "app,log\"ger", "bare \" in unquoted field 2"),
                argumentSet("a quote after a leading space is a bare quote", " \"a\"", "bare \" in unquoted field 1"),
                argumentSet("text right after a closing quote", "\"a\"b", "extraneous \" in field 1"),
                argumentSet("a space after a closing quote", "x,\"a\" ,b", "extraneous \" in field 2"),
                argumentSet("an unterminated quoted field", "\"abc", "a quoted field is not terminated"),
                argumentSet("an unterminated quoted field after a complete one", "a,\"b", "a quoted field is not terminated"),
                argumentSet("a quoted field ending in an escaped quote is unterminated", "\"a\"\"", "a quoted field is not terminated"),
                argumentSet("an empty value has no record", "", "the value is empty"),
                argumentSet("a value of line ends only has no record", "\n\r\n", "the value is empty"));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("malformed")
    void rejectsMalformedRecord(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvRecord.parse(text));
        assertEquals(message, e.getMessage());
    }
}
