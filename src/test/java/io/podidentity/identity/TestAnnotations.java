package io.podidentity.identity;

/** How the identity tests annotate ServiceAccounts: one declaration for the tests and {@link MockApiServer}. */
final class TestAnnotations {

    /** The webhook's default {@code --annotation-prefix}, under which every test annotation is written. */
    static final String PREFIX = "eks.amazonaws.com";

    private TestAnnotations() {
    }
}
