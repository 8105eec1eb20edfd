package io.podidentity.tls;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import java.security.Provider;
import javax.net.ssl.SSLEngine;

/**
 * The native executable's Netty, told that Bouncy Castle is absent. Netty reaches for Bouncy
 * Castle whenever it is on the class path (it is, for this project's PEM and certificate code):
 * to read PEM keys it is handed as files, to generate its own self-signed certificates, and for Bouncy
 * Castle's JSSE. The webhook does none of these through Netty (its HTTPS server gets a JDK key
 * manager, {@code RotatingKeyManager}), but the reachable paths put {@code BouncyCastleProvider},
 * with every curve and post-quantum algorithm it registers, into the executable. Quarkus applies
 * the same substitution itself when Bouncy Castle is not on the class path at all.
 */
@TargetClass(className = "io.netty.handler.ssl.util.BouncyCastleUtil")
final class NettyWithoutBouncyCastle {

    @Substitute
    public static boolean isBcProvAvailable() {
        return false;
    }

    @Substitute
    public static boolean isBcPkixAvailable() {
        return false;
    }

    @Substitute
    public static boolean isBcTlsAvailable() {
        return false;
    }

    @Substitute
    public static boolean isBcJsseInUse(SSLEngine engine) {
        return false;
    }

    @Substitute
    public static Provider getBcProviderJce() {
        return null;
    }

    @Substitute
    public static Provider getBcProviderJsse() {
        return null;
    }

    @Substitute
    public static Class<? extends SSLEngine> getBcSSLEngineClass() {
        return null;
    }
}

/** Netty's own self-signed certificates, made with the JDK's generator instead of Bouncy Castle's. */
@TargetClass(className = "io.netty.handler.ssl.util.SelfSignedCertificate")
final class NettySelfSignedWithoutBouncyCastle {

    @Substitute
    private static boolean isBouncyCastleAvailable() {
        return false;
    }
}
