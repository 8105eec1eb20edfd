package io.podidentity.tls;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.util.io.pem.PemObject;

/**
 * Makes a local CA and a serving certificate for it, for a webhook started without
 * {@code --tls-cert}/{@code --tls-key} (a first run on a laptop). Files from an earlier run are
 * kept while still good, so a {@code curl --cacert ca.crt} set up once keeps working.
 */
public final class SelfSignedCertificates {

    /** Subject of the generated CA, recognisable in a browser or {@code openssl x509 -text}. */
    public static final String CA_COMMON_NAME = "pod-identity-webhook local CA";

    /** Backdating tolerates clients whose clocks are a little behind ours. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private SelfSignedCertificates() {
    }

    /**
     * Writes {@code ca.crt}, {@code tls.crt} and {@code tls.key} (PKCS#8, mode 0600) into
     * {@code dir}, or keeps those already there if they parse, belong together, cover every
     * requested name and stay valid for at least 24 more hours. The CA's private key is never
     * written, so nothing can be signed with that CA once this returns.
     *
     * @param dir created (mode 0700) if missing
     * @param dnsNames at least one; the first also becomes the leaf's CN
     * @param ipAddresses IP literals for the subjectAltName, possibly none
     * @param validity lifetime of both certificates; under 24 hours means regenerating at every start
     * @throws IllegalArgumentException for no DNS name, a malformed IP address or a non-positive validity
     * @throws java.io.UncheckedIOException naming the path that could not be created or written
     */
    public static GeneratedCertificate generate(Path dir, List<String> dnsNames, List<String> ipAddresses,
            Duration validity) {
        ServerNames names = new ServerNames(dnsNames, ipAddresses);
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("certificate validity must be positive, got " + validity);
        }
        Instant now = Instant.now();
        GeneratedCertificate files = GeneratedCertificate.in(dir, false);
        if (CertificateReuse.isReusable(files, names, now)) {
            return GeneratedCertificate.in(dir, true);
        }
        PemFileWriter.createPrivateDirectory(dir);
        Instant notBefore = now.minus(CLOCK_SKEW);
        Instant notAfter = now.plus(validity);
        CertificateAuthority ca = CertificateAuthority.create(CA_COMMON_NAME, notBefore, notAfter);
        KeyPair leafKeys = CertificateAuthority.newEcKeyPair();
        X509Certificate leaf = ca.issueServerCertificate(leafKeys.getPublic(), names, notBefore, notAfter);
        PemFileWriter.write(files.caCertificate(), PemFileWriter.WORLD_READABLE, List.of(ca.certificate()));
        PemFileWriter.write(files.certificate(), PemFileWriter.WORLD_READABLE, List.of(leaf));
        PemFileWriter.write(files.privateKey(), PemFileWriter.OWNER_ONLY,
                // The JDK encodes private keys as PKCS#8, which is exactly the "PRIVATE KEY" block.
                List.of(new PemObject("PRIVATE KEY", leafKeys.getPrivate().getEncoded())));
        return files;
    }

    /**
     * {@code ${java.io.tmpdir}/pod-identity-webhook-<user>}: stable across restarts, and separate per
     * user so two people on one machine do not share (or fight over) a key.
     */
    public static Path defaultDirectory() {
        // user.name can be "?" in containers without a passwd entry, or "DOMAIN\\user" on Windows.
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "pod-identity-webhook-" + user);
    }
}
