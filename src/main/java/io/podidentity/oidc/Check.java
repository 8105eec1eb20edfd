package io.podidentity.oidc;

/**
 * One verdict of a verification, with the reason in words.
 *
 * @param name what was checked, e.g. {@code signature} or {@code StringEquals host/path:sub}
 * @param outcome whether it passed
 * @param detail why, naming the values compared
 */
public record Check(String name, Outcome outcome, String detail) {

    /** How a check ended. */
    public enum Outcome {
        PASS,
        FAIL,
        /** The check cannot be evaluated offline; the token is not known to be accepted. */
        UNSUPPORTED
    }

    public static Check pass(String name, String detail) {
        return new Check(name, Outcome.PASS, detail);
    }

    public static Check fail(String name, String detail) {
        return new Check(name, Outcome.FAIL, detail);
    }

    public static Check unsupported(String name, String detail) {
        return new Check(name, Outcome.UNSUPPORTED, detail);
    }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }

    /** {@code PASS  name: detail}, aligned for a terminal. */
    @Override
    public String toString() {
        return String.format("%-11s %s: %s", outcome, name, detail);
    }
}
