package io.podidentity.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * A throwaway EC P-256 certificate authority that issues serving certificates. It lives only in
 * memory: nothing outside this process can sign with it.
 */
record CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    /** A self-signed CA that may sign certificates and CRLs but nothing else. */
    static CertificateAuthority create(String commonName, Instant notBefore, Instant notAfter) {
        KeyPair keys = newEcKeyPair();
        X500Name subject = new X500Name("CN=" + commonName);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, randomSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a CA certificate: " + e.getMessage(), e);
        }
    }

    /** A serving (TLS server) certificate for {@code names}, carrying {@code subjectKey}. */
    X509Certificate issueServerCertificate(PublicKey subjectKey, ServerNames names, Instant notBefore,
            Instant notAfter) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, randomSerial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + names.commonName()), subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, names.toGeneralNames())
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate.getPublicKey()));
            return sign(builder, privateKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + names.dnsNames() + ": " + e.getMessage(), e);
        }
    }

    /** P-256: generated in milliseconds, where RSA-2048 can take a noticeable part of a second. */
    static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 key generation is not available in this JVM", e);
        }
    }

    /** 128 random bits: unique without bookkeeping, and within the 20 octets RFC 5280 allows. */
    private static BigInteger randomSerial() {
        BigInteger serial = new BigInteger(128, RANDOM);
        return serial.signum() == 0 ? BigInteger.ONE : serial;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return PemBlocks.certificate(builder.build(new EcdsaSigner(signer)).getEncoded());
        } catch (IOException e) {
            throw new GeneralSecurityException("the certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * ECDSA with SHA-256 through the JDK's provider. Bouncy Castle's {@code JcaContentSignerBuilder}
     * would do the same, and bring its table of every signature algorithm it knows, post-quantum
     * ones included, into the native executable.
     */
    private static final class EcdsaSigner implements ContentSigner {

        private final Signature signature;
        private final ByteArrayOutputStream signed = new ByteArrayOutputStream();

        EcdsaSigner(PrivateKey key) throws GeneralSecurityException {
            signature = Signature.getInstance(SIGNATURE_ALGORITHM);
            signature.initSign(key, RANDOM);
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            // RFC 5758: ecdsa-with-SHA256 has no parameters.
            return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        }

        @Override
        public OutputStream getOutputStream() {
            return signed;
        }

        @Override
        public byte[] getSignature() {
            try {
                signature.update(signed.toByteArray());
                return signature.sign();
            } catch (SignatureException e) {
                throw new IllegalStateException("signing a certificate failed: " + e.getMessage(), e);
            }
        }
    }
}
