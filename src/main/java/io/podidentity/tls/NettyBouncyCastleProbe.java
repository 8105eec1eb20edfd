package io.podidentity.tls;

import io.quarkus.runtime.ImageMode;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * On the JVM, Netty's probe for Bouncy Castle answered before the first handshake, with the answer
 * the native executable's substitution ({@link NettyWithoutBouncyCastle}) gives at build time: absent.
 * Netty probes on the first TLS handshake that negotiates ALPN, to learn whether the engine is Bouncy
 * Castle's JSSE, and the probe instantiates {@code BouncyCastleProvider}: about 500 classes of a
 * signed jar, each checked against the jar's signature as it loads, on the event loop that is
 * answering kube-apiserver's first admission. The webhook's engine is always the JDK's, so the
 * probe can only answer no.
 */
public final class NettyBouncyCastleProbe {

    private static final Logger LOG = Logger.getLogger(NettyBouncyCastleProbe.class);
    private static final String UTIL = "io.netty.handler.ssl.util.BouncyCastleUtil";

    private NettyBouncyCastleProbe() {
    }

    /**
     * Records in Netty's {@code BouncyCastleUtil} that Bouncy Castle's provider, PKIX and JSSE are
     * unavailable. In the native executable the substitution has already done so. A Netty whose
     * fields differ keeps probing as it always did: the same answers, a slower first handshake.
     *
     * @return whether Netty now knows, without probing
     */
    public static boolean answerAbsent() {
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            return true;
        }
        try {
            Class<?> util = Class.forName(UTIL, true, NettyBouncyCastleProbe.class.getClassLoader());
            Throwable absent = new ClassNotFoundException("Bouncy Castle is not used through Netty by this webhook");
            set(util, "unavailabilityCauseBcProv", absent);
            set(util, "unavailabilityCauseBcPkix", absent);
            set(util, "unavailabilityCauseBcTls", absent);
            // Last, and volatile: Netty reads the causes only once it sees this.
            set(util, "attemptedLoading", true);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("Netty will probe for Bouncy Castle itself: %s", e);
            return false;
        }
    }

    private static void set(Class<?> type, String name, Object value) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        field.set(null, value);
    }
}
