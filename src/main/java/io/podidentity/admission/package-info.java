/**
 * The admission protocol: AdmissionReview in, AdmissionReview out, every error mapped to an answer
 * in one place ({@link io.podidentity.admission.AdmissionHandler}); the HTTP endpoint only delegates.
 */
package io.podidentity.admission;
