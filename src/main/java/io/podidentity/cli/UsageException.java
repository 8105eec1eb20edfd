package io.podidentity.cli;

/** Arguments that cannot work together or point nowhere; exit code 2, like a bad flag. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
