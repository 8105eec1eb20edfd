package io.podidentity.oidc;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The public keys in a PEM file, whatever the file holds: {@code PUBLIC KEY}, {@code RSA PUBLIC
 * KEY}, {@code CERTIFICATE}, or the private key kube-apiserver signs with
 * ({@code --service-account-signing-key-file}, PKCS#8 or PKCS#1), whose public half is derived.
 */
public final class PemPublicKeys {

    private PemPublicKeys() {
    }

    /**
     * @throws IllegalArgumentException naming the file when it is missing, not PEM, encrypted or
     *         holds no key
     */
    public static List<PublicKey> read(Path file) {
        List<PublicKey> keys = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
                PEMParser parser = new PEMParser(reader)) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                PublicKey key = publicKey(block, file);
                if (key != null) {
                    keys.add(key);
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": file does not exist");
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(file.toString())) {
                throw iae;
            }
            throw new IllegalArgumentException(file + ": not valid PEM (" + oneLine(e) + ")");
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + ": no key found (expected PEM \"PUBLIC KEY\", \"RSA PUBLIC KEY\", "
                    + "\"CERTIFICATE\", \"PRIVATE KEY\" or \"RSA PRIVATE KEY\")");
        }
        return keys;
    }

    private static PublicKey publicKey(Object block, Path file) throws IOException {
        if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IllegalArgumentException(file + ": the key is encrypted; give the public key or an unencrypted key");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (block instanceof SubjectPublicKeyInfo info) {
            return converter.getPublicKey(info);
        }
        if (block instanceof X509CertificateHolder certificate) {
            return converter.getPublicKey(certificate.getSubjectPublicKeyInfo());
        }
        if (block instanceof PEMKeyPair pair) {
            if (pair.getPublicKeyInfo() == null) {
                throw new IllegalArgumentException(file + ": the private key has no public part; AWS IAM accepts only RSA keys");
            }
            return converter.getPublicKey(pair.getPublicKeyInfo());
        }
        if (block instanceof PrivateKeyInfo pkcs8) {
            if (!pkcs8.getPrivateKeyAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
                throw new IllegalArgumentException(file + ": the private key is "
                        + converter.getPrivateKey(pkcs8).getAlgorithm() + "; AWS IAM accepts only RSA keys");
            }
            RSAPrivateKey rsa = RSAPrivateKey.getInstance(pkcs8.parsePrivateKey());
            return rsaPublic(rsa.getModulus(), rsa.getPublicExponent());
        }
        return null;
    }

    private static PublicKey rsaPublic(BigInteger modulus, BigInteger exponent) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable RSA key: " + e.getMessage(), e);
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
