package io.podidentity.identity;

/** Go's {@code strconv.ParseBool}: the only spellings upstream accepts. */
final class GoBool {

    private GoBool() {}

    /** {@code true}, {@code false}, or {@code null} when the text is not one of Go's spellings. */
    static Boolean parse(String text) {
        switch (text) {
            case "1", "t", "T", "TRUE", "true", "True":
                return Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False":
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
