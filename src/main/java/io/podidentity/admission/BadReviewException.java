package io.podidentity.admission;

/** The request body is not a usable AdmissionReview; the message says exactly what is wrong. */
final class BadReviewException extends RuntimeException {

    BadReviewException(String message) {
        super(message, null, false, false);
    }
}
