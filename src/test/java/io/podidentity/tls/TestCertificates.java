package io.podidentity.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway PKI for tests: a CA and a server certificate for {@code localhost} and
 * {@code 127.0.0.1}, with the server key written in whichever PEM format a test needs.
 */
public final class TestCertificates {

    /** How {@code tls.key} is written: the four layouts operators meet in practice. */
    public enum KeyFormat {
        /** {@code BEGIN RSA PRIVATE KEY} (openssl genrsa before 3.0). */
        RSA_PKCS1,
        /** {@code BEGIN PRIVATE KEY} holding an RSA key (openssl genpkey, cert-manager). */
        RSA_PKCS8,
        /** {@code BEGIN EC PARAMETERS} then {@code BEGIN EC PRIVATE KEY} (openssl ecparam -genkey). */
        EC_SEC1,
        /** {@code BEGIN PRIVATE KEY} holding an EC key. */
        EC_PKCS8
    }

    static final ServerNames LOCALHOST = new ServerNames(List.of("localhost"), List.of("127.0.0.1"));

    private TestCertificates() {
    }

    /** Writes {@code ca.crt}, {@code tls.crt} and {@code tls.key} into {@code dir}, creating it if missing. */
    public static TestPki create(Path dir, KeyFormat format) {
        PemFileWriter.createPrivateDirectory(dir);
        Instant now = Instant.now();
        CertificateAuthority ca = CertificateAuthority.create("test CA", now.minus(Duration.ofMinutes(5)),
                now.plus(Duration.ofDays(2)));
        PemFileWriter.write(dir.resolve("ca.crt"), PemFileWriter.WORLD_READABLE, List.of(ca.certificate()));
        return TestPki.issue(dir, format, ca);
    }

    /** The files of one test PKI, and the CA that issued them (kept in memory for {@link #rotate()}). */
    public static final class TestPki {

        private final Path dir;
        private final KeyFormat format;
        private final CertificateAuthority ca;
        private final X509Certificate leaf;

        private TestPki(Path dir, KeyFormat format, CertificateAuthority ca, X509Certificate leaf) {
            this.dir = dir;
            this.format = format;
            this.ca = ca;
            this.leaf = leaf;
        }

        private static TestPki issue(Path dir, KeyFormat format, CertificateAuthority ca) {
            KeyPair keys = newKeyPair(format);
            Instant now = Instant.now();
            X509Certificate leaf = ca.issueServerCertificate(keys.getPublic(), LOCALHOST,
                    now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
            PemFileWriter.write(dir.resolve("tls.crt"), PemFileWriter.WORLD_READABLE, List.of(leaf));
            PemFileWriter.write(dir.resolve("tls.key"), PemFileWriter.OWNER_ONLY, pemBlocks(format, keys));
            return new TestPki(dir, format, ca, leaf);
        }

        /**
         * Issues a new server certificate and key from the same CA over {@code tls.crt} and
         * {@code tls.key}, as cert-manager does on renewal; {@code ca.crt} is untouched.
         *
         * @return the new state; its {@link #serial()} differs from this one's
         */
        public TestPki rotate() {
            return issue(dir, format, ca);
        }

        public Path caCertificate() {
            return dir.resolve("ca.crt");
        }

        public Path certificate() {
            return dir.resolve("tls.crt");
        }

        public Path privateKey() {
            return dir.resolve("tls.key");
        }

        /** Serial number of the server certificate currently in {@link #certificate()}. */
        public BigInteger serial() {
            return leaf.getSerialNumber();
        }

        public X509Certificate leafCertificate() {
            return leaf;
        }
    }

    private static KeyPair newKeyPair(KeyFormat format) {
        return switch (format) {
            case EC_SEC1, EC_PKCS8 -> CertificateAuthority.newEcKeyPair();
            case RSA_PKCS1, RSA_PKCS8 -> rsaKeyPair();
        };
    }

    /** A new 2048-bit RSA key pair. */
    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<PemObject> pemBlocks(KeyFormat format, KeyPair keys) {
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        try {
            return switch (format) {
                case RSA_PKCS8, EC_PKCS8 -> List.of(new PemObject("PRIVATE KEY", pkcs8.getEncoded()));
                case RSA_PKCS1 -> List.of(new PemObject("RSA PRIVATE KEY", pkcs8.parsePrivateKey().toASN1Primitive().getEncoded()));
                case EC_SEC1 -> sec1Blocks(pkcs8, keys.getPublic());
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JDK's PKCS#8 EC key omits the curve and public point from its inner SEC1 structure (they
     * live in the PKCS#8 wrapper), so the SEC1 form openssl writes is rebuilt with both.
     */
    private static List<PemObject> sec1Blocks(PrivateKeyInfo pkcs8, PublicKey publicKey) throws IOException {
        ASN1Encodable curve = pkcs8.getPrivateKeyAlgorithm().getParameters();
        ECPrivateKey inner = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
        ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(),
                SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData(), curve);
        return List.of(new PemObject("EC PARAMETERS", curve.toASN1Primitive().getEncoded()),
                new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }
}
