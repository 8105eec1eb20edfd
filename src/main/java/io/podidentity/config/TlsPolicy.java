package io.podidentity.config;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;

/**
 * The TLS protocols and cipher suites to enable, translated from the Go webhook's
 * {@code --tls-min-version} and {@code --tls-cipher-suites} flags into JSSE names.
 *
 * <p>Note that the JDK's {@code jdk.tls.disabledAlgorithms} security property still applies on
 * top of this policy: TLS 1.0 and 1.1 stay unusable unless that property allows them.
 *
 * @param protocols JSSE protocol names to enable, highest first
 * @param cipherSuites JSSE cipher suite names to enable, in the order given; empty means the
 *        JSSE defaults
 */
public record TlsPolicy(List<String> protocols, List<String> cipherSuites) {

    /** The minimum TLS version used when {@code --tls-min-version} is empty. */
    public static final String DEFAULT_MIN_VERSION = "1.2";

    // Highest first, as JSSE prefers them.
    private static final List<String> JSSE_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");

    private static final Map<String, String> MIN_VERSIONS = Map.of(
            "1.0", "TLSv1", "VersionTLS10", "TLSv1",
            "1.1", "TLSv1.1", "VersionTLS11", "TLSv1.1",
            "1.2", "TLSv1.2", "VersionTLS12", "TLSv1.2",
            "1.3", "TLSv1.3", "VersionTLS13", "TLSv1.3");

    /** Go's TLS 1.3 suites, which Go keeps enabled whatever {@code --tls-cipher-suites} says. */
    static final List<String> TLS13_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /**
     * Every name Go's {@code tls.CipherSuites()} and {@code tls.InsecureCipherSuites()} know,
     * plus the two legacy ChaCha20 aliases, mapped to the JSSE name of the same suite.
     */
    private static final Map<String, String> GO_TO_JSSE = goToJsse();

    public TlsPolicy {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /**
     * Builds the policy from the two flag values as written on the command line.
     *
     * @param minVersion {@code 1.0}…{@code 1.3} or {@code VersionTLS10}…{@code VersionTLS13};
     *        empty or {@code null} means {@value #DEFAULT_MIN_VERSION}
     * @param cipherSuites comma-separated Go cipher suite names; empty or {@code null} means the
     *        JSSE defaults
     * @throws IllegalArgumentException naming the flag and the offending value
     */
    public static TlsPolicy from(String minVersion, String cipherSuites) {
        return from(minVersion, cipherSuites, supportedByRuntime());
    }

    static TlsPolicy from(String minVersion, String cipherSuites, Set<String> supported) {
        List<String> protocols = protocolsFrom(minVersion == null || minVersion.isEmpty()
                ? DEFAULT_MIN_VERSION : minVersion);
        List<String> suites = suitesFrom(cipherSuites == null ? "" : cipherSuites, supported);
        // Go applies the flag to TLS 1.0-1.2 only and always offers its TLS 1.3 suites; a JSSE
        // list without them would make TLS 1.3 handshakes fail.
        if (!suites.isEmpty() && protocols.contains("TLSv1.3")) {
            Set<String> withTls13 = new LinkedHashSet<>(suites);
            withTls13.addAll(TLS13_SUITES);
            suites = List.copyOf(withTls13);
        }
        return new TlsPolicy(protocols, suites);
    }

    private static List<String> protocolsFrom(String minVersion) {
        String lowest = MIN_VERSIONS.get(minVersion);
        if (lowest == null) {
            throw new IllegalArgumentException("--tls-min-version: unsupported value \"" + minVersion
                    + "\"; expected one of 1.0, 1.1, 1.2, 1.3, VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13");
        }
        return JSSE_PROTOCOLS.subList(0, JSSE_PROTOCOLS.indexOf(lowest) + 1);
    }

    private static List<String> suitesFrom(String flag, Set<String> supported) {
        Set<String> suites = new LinkedHashSet<>();
        for (String item : flag.split(",")) {
            String goName = item.trim();
            if (goName.isEmpty()) {
                continue; // upstream skips empty items such as a trailing comma
            }
            String jsseName = GO_TO_JSSE.get(goName);
            if (jsseName == null) {
                throw new IllegalArgumentException("--tls-cipher-suites: unknown cipher suite \"" + goName + "\"");
            }
            if (!supported.contains(jsseName)) {
                throw new IllegalArgumentException(
                        "--tls-cipher-suites: cipher suite \"" + goName + "\" is not supported by this runtime");
            }
            suites.add(jsseName);
        }
        return new ArrayList<>(suites);
    }

    private static Set<String> supportedByRuntime() {
        return RuntimeSuites.SUPPORTED;
    }

    /** The runtime's cipher suites, asked once, when a suite is first checked (the holder idiom). */
    private static final class RuntimeSuites {
        static final Set<String> SUPPORTED = ask();

        private static Set<String> ask() {
            try {
                return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this Java runtime has no default TLS implementation", e);
            }
        }
    }

    private static Map<String, String> goToJsse() {
        Map<String, String> names = new LinkedHashMap<>();
        // TLS 1.3 (tls.CipherSuites)
        same(names, "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
        // TLS 1.0-1.2, ECDHE (tls.CipherSuites)
        same(names,
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        // RSA key exchange (tls.CipherSuites before Go 1.22, tls.InsecureCipherSuites since)
        same(names,
                "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_WITH_AES_256_CBC_SHA",
                "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_256_GCM_SHA384");
        // tls.InsecureCipherSuites
        same(names,
                "TLS_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
                "TLS_ECDHE_RSA_WITH_RC4_128_SHA");
        // JSSE kept the SSL_ prefix for these two.
        names.put("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA");
        names.put("TLS_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_RC4_128_SHA");
        // Pre-IANA names Go (and Kubernetes' flag helpers) still accept.
        names.put("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        names.put("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        return Map.copyOf(names);
    }

    private static void same(Map<String, String> names, String... ianaNames) {
        for (String name : ianaNames) {
            names.put(name, name);
        }
    }
}
