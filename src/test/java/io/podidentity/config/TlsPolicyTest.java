package io.podidentity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TlsPolicyTest {

    private static final List<String> TLS13 = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    static Stream<Arguments> minVersions() {
        return Stream.of(
                Arguments.of("empty means TLS 1.2", "", List.of("TLSv1.3", "TLSv1.2")),
                Arguments.of("null means TLS 1.2", null, List.of("TLSv1.3", "TLSv1.2")),
                Arguments.of("1.2 enables 1.3 and 1.2", "1.2", List.of("TLSv1.3", "TLSv1.2")),
                Arguments.of("1.3 enables only 1.3", "1.3", List.of("TLSv1.3")),
                Arguments.of("1.1 enables 1.1 and up", "1.1", List.of("TLSv1.3", "TLSv1.2", "TLSv1.1")),
                Arguments.of("1.0 enables everything from TLSv1", "1.0",
                        List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1")),
                Arguments.of("the Go constant name VersionTLS10 is 1.0", "VersionTLS10",
                        List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1")),
                Arguments.of("the Go constant name VersionTLS11 is 1.1", "VersionTLS11",
                        List.of("TLSv1.3", "TLSv1.2", "TLSv1.1")),
                Arguments.of("the Go constant name VersionTLS12 is 1.2", "VersionTLS12", List.of("TLSv1.3", "TLSv1.2")),
                Arguments.of("the Go constant name VersionTLS13 is 1.3", "VersionTLS13", List.of("TLSv1.3")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("minVersions")
    void enablesProtocolsFromTheMinimumUpHighestFirst(String rule, String minVersion, List<String> expected) {
        assertEquals(expected, TlsPolicy.from(minVersion, "").protocols());
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = { "1.4", "TLSv1.2", "versiontls12", " 1.2", "1", "SSLv3" })
    void rejectsUnknownMinimumVersionsListingTheAcceptedOnes(String minVersion) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsPolicy.from(minVersion, ""));
        assertEquals("--tls-min-version: unsupported value \"" + minVersion + "\"; expected one of 1.0, 1.1, 1.2, 1.3, "
                + "VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13", e.getMessage());
    }

    static Stream<Arguments> cipherSuiteFlags() {
        return Stream.of(
                Arguments.of("an empty flag means the JSSE defaults", "1.2", "", List.of()),
                Arguments.of("only commas and spaces mean the JSSE defaults", "1.2", " , ,", List.of()),
                Arguments.of("a TLS 1.2 suite keeps the TLS 1.3 suites enabled", "1.2",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        concat(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), TLS13)),
                Arguments.of("spaces around names and empty items are skipped", "1.2",
                        " TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 ,, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ,",
                        concat(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                                TLS13)),
                Arguments.of("the legacy ChaCha20 names mean the SHA256 suites", "1.2",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
                        concat(List.of("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"), TLS13)),
                Arguments.of("a suite named twice, once by its alias, is enabled once", "1.2",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                        concat(List.of("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"), TLS13)),
                Arguments.of("a listed TLS 1.3 suite keeps its place and is not added twice", "1.2",
                        "TLS_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        List.of("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                                "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256")),
                Arguments.of("RSA key exchange suites are Go names too", "1.2",
                        "TLS_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA256",
                        concat(List.of("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256"), TLS13)),
                Arguments.of("a minimum of 1.3 still gets the TLS 1.3 suites", "1.3",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        concat(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), TLS13)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cipherSuiteFlags")
    void mapsGoCipherSuiteNamesToJsse(String rule, String minVersion, String flag, List<String> expected) {
        assertEquals(expected, TlsPolicy.from(minVersion, flag).cipherSuites());
    }

    @Test
    void acceptsEveryNameOfGosSecureListOnThisRuntime() {
        // Guards the name table against typos: all of tls.CipherSuites() exists in Java 17 JSSE.
        String secure = String.join(",", TLS13) + ",TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,"
                + "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,"
                + "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,"
                + "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
                + "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,"
                + "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
        assertEquals(13, TlsPolicy.from("", secure).cipherSuites().size());
    }

    @ParameterizedTest(name = "\"{0}\" is not a Go cipher suite name")
    @ValueSource(strings = { "TLS_FAKE_SUITE", "tls_aes_128_gcm_sha256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256" })
    void rejectsNamesGoDoesNotKnow(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsPolicy.from("", "TLS_AES_128_GCM_SHA256," + name));
        assertEquals("--tls-cipher-suites: unknown cipher suite \"" + name + "\"", e.getMessage());
    }

    @Test
    void rejectsGoSuitesThisJvmCannotEnable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsPolicy.from("", "TLS_RSA_WITH_RC4_128_SHA"));
        assertEquals("--tls-cipher-suites: cipher suite \"TLS_RSA_WITH_RC4_128_SHA\" is not supported by this runtime",
                e.getMessage());
    }

    @Test
    void checksSupportAgainstTheJsseNameOfTheSuite() {
        // JSSE spells the RSA 3DES suite with an SSL_ prefix; the Go name must still be found.
        TlsPolicy policy = TlsPolicy.from("1.2", "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                Set.of("SSL_RSA_WITH_3DES_EDE_CBC_SHA"));
        assertEquals(concat(List.of("SSL_RSA_WITH_3DES_EDE_CBC_SHA"), TLS13), policy.cipherSuites());
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
