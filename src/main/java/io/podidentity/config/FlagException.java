package io.podidentity.config;

/**
 * A command line that cannot be used. The message is one line that names the flag and says what
 * was expected, fit to print before exiting.
 */
public class FlagException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public FlagException(String message) {
        super(message);
    }
}
