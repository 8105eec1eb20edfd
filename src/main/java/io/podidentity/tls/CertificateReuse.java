package io.podidentity.tls;

import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Decides whether the files of an earlier run can serve again, so that clients that trust the
 * earlier {@code ca.crt} keep working across restarts.
 */
final class CertificateReuse {

    /** Less than this left and the files are replaced now rather than expiring while we run. */
    static final Duration MINIMUM_REMAINING_VALIDITY = Duration.ofHours(24);

    private CertificateReuse() {
    }

    /**
     * True when all three files parse, the leaf was signed by the CA, the key belongs to the leaf,
     * both certificates are valid now and for {@link #MINIMUM_REMAINING_VALIDITY} more, and the leaf
     * names every requested host. A half-written set from an interrupted run fails one of these.
     */
    static boolean isReusable(GeneratedCertificate files, ServerNames names, Instant now) {
        if (!Files.isRegularFile(files.caCertificate()) || !Files.isRegularFile(files.certificate())
                || !Files.isRegularFile(files.privateKey())) {
            return false;
        }
        try {
            X509Certificate ca = PemFiles.readCertificates(files.caCertificate()).get(0);
            X509Certificate leaf = PemFiles.readCertificates(files.certificate()).get(0);
            PrivateKey key = PemFiles.readPrivateKey(files.privateKey());
            leaf.verify(ca.getPublicKey());
            return validLongEnough(ca, now) && validLongEnough(leaf, now)
                    && KeyMatcher.matches(key, leaf.getPublicKey())
                    && names.coveredBy(leaf);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // Unreadable or not signed by that CA: replacing the files is the remedy, not an error.
            return false;
        }
    }

    private static boolean validLongEnough(X509Certificate certificate, Instant now) {
        return !certificate.getNotBefore().after(Date.from(now))
                && certificate.getNotAfter().toInstant().isAfter(now.plus(MINIMUM_REMAINING_VALIDITY));
    }
}
