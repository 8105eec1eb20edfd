package io.podidentity.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingKeyManagerTest {

    @TempDir
    Path dir;

    @Test
    void handshakeStraddlingASwapGetsChainAndKeyOfTheSameGeneration() {
        TestCertificates.TestPki first = TestCertificates.create(dir, TestCertificates.KeyFormat.EC_PKCS8);
        RotatingKeyManager manager = new RotatingKeyManager(load(first.certificate(), first.privateKey()));
        String chosenBefore = manager.chooseEngineServerAlias("EC", null, null);

        TestCertificates.TestPki second = first.rotate();
        manager.replace(load(second.certificate(), second.privateKey()));
        String chosenAfter = manager.chooseEngineServerAlias("EC", null, null);

        assertEquals(first.serial(), manager.getCertificateChain(chosenBefore)[0].getSerialNumber());
        assertEquals(second.serial(), manager.getCertificateChain(chosenAfter)[0].getSerialNumber());
        assertNotEquals(manager.getPrivateKey(chosenBefore), manager.getPrivateKey(chosenAfter));
        assertEquals(second.serial(), manager.current().leaf().getSerialNumber());
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheCertificate() {
        TestCertificates.TestPki first = TestCertificates.create(dir.resolve("a"), TestCertificates.KeyFormat.RSA_PKCS1);
        TestCertificates.TestPki other = TestCertificates.create(dir.resolve("b"), TestCertificates.KeyFormat.RSA_PKCS1);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(first.certificate(), other.privateKey()));

        assertEquals("--tls-key " + other.privateKey() + " does not match the certificate in --tls-cert " + first.certificate(),
                e.getMessage());
    }

    private static RotatingKeyManager.Loaded load(Path certificate, Path key) {
        return RotatingKeyManager.load(PemFiles.readKeyPair(certificate, key), key);
    }
}
