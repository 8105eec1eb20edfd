package io.podidentity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The JWKS and discovery files against golden files computed with openssl and Python
 * (src/test/resources/oidc), from every PEM form the signing key is kept in.
 */
class PublishedDocumentsTest {

    static final Path DIR = Path.of("src/test/resources/oidc");

    @ParameterizedTest(name = "{0} gives the published key")
    @ValueSource(strings = {"sa.pub", "sa-rsa.pub", "sa.crt", "sa-pkcs1.key", "sa-pkcs8.key"})
    void everyPemFormOfTheSigningKeyGivesTheSameJwks(String file) throws Exception {
        Jwks jwks = new Jwks(PemPublicKeys.read(DIR.resolve(file)).stream().map(Jwk::of).toList());

        assertEquals(Files.readString(DIR.resolve("jwks-sa.json")), jwks.toJson());
    }

    @Test
    void aCertificateUnderOpensslsOlderLabelGivesTheSameJwks() throws Exception {
        Path old = Files.createTempFile("old-label", ".crt");
        Files.writeString(old, Files.readString(DIR.resolve("sa.crt")).replace("CERTIFICATE-----", "X509 CERTIFICATE-----"));

        Jwks jwks = new Jwks(PemPublicKeys.read(old).stream().map(Jwk::of).toList());

        assertEquals(Files.readString(DIR.resolve("jwks-sa.json")), jwks.toJson());
    }

    @Test
    void rotationKeysAreSortedByKidWhateverTheOrderGiven() throws Exception {
        List<Jwk> keys = Stream.of("rotated.pub", "sa.pub")
                .flatMap(f -> PemPublicKeys.read(DIR.resolve(f)).stream()).map(Jwk::of).toList();

        assertEquals(Files.readString(DIR.resolve("jwks-two-keys.json")), new Jwks(keys).toJson());
        assertEquals(new Jwks(keys).toJson(), new Jwks(List.of(keys.get(1), keys.get(0))).toJson());
    }

    @Test
    void discoveryDocumentPointsAtTheJwksUnderTheIssuer() throws Exception {
        Discovery discovery = Discovery.forIssuer("https://oidc.example.test/cluster", "openid/v1/jwks");

        assertEquals(Files.readString(DIR.resolve("openid-configuration")), discovery.toJson());
        assertEquals(discovery, Discovery.parse(discovery.toJson(), "test"));
    }

    @Test
    void publishedJwksParsesBackToTheSameKeys() throws Exception {
        String text = Files.readString(DIR.resolve("jwks-two-keys.json"));

        assertEquals(text, Jwks.parse(text, "test").toJson());
    }

    @ParameterizedTest(name = "{0} is refused as not RSA")
    @ValueSource(strings = {"ec.pub", "ec.key"})
    void ecKeysAreRefusedSayingAwsAcceptsOnlyRsa(String file) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PemPublicKeys.read(DIR.resolve(file)).forEach(Jwk::of));
        assertTrue(e.getMessage().contains("AWS IAM accepts only RSA keys"), e.getMessage());
    }

    @Test
    void aFileWithoutPemNamesTheFile() throws Exception {
        Path file = Files.createTempFile("not-pem", ".txt");
        Files.writeString(file, "hello\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PemPublicKeys.read(file));
        assertTrue(e.getMessage().startsWith(file + ": no key found"), e.getMessage());
    }

    @Test
    void issuerMustBeHttps() {
        assertThrows(IllegalArgumentException.class, () -> Issuer.parse("http://oidc.example.test"));
        assertEquals("oidc.example.test/cluster", Issuer.parse("https://oidc.example.test/cluster/").hostPath());
        assertEquals("oidc.example.test:8443", Issuer.parse("https://oidc.example.test:8443").hostPath());
    }
}
