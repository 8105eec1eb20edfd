package io.podidentity.tls;

import java.nio.file.Path;

/**
 * Where {@link SelfSignedCertificates#generate} left the serving certificate.
 *
 * @param caCertificate the CA certificate to give clients ({@code curl --cacert}, the webhook
 *     configuration's {@code caBundle})
 * @param certificate the serving leaf certificate
 * @param privateKey the leaf's private key, PKCS#8 PEM
 * @param reused {@code true} when files from an earlier run were still good and kept as they were
 */
public record GeneratedCertificate(Path caCertificate, Path certificate, Path privateKey, boolean reused) {

    /** The three file names in {@code dir}, the same ones a Kubernetes TLS secret mounts. */
    static GeneratedCertificate in(Path dir, boolean reused) {
        return new GeneratedCertificate(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"), reused);
    }
}
