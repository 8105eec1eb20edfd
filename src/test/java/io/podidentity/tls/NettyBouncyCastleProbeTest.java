package io.podidentity.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.BouncyCastleUtil;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class NettyBouncyCastleProbeTest {

    /**
     * Bouncy Castle is on the class path, so Netty's own probe would find it. After the answer,
     * Netty reports it absent without probing: the fields this relies on exist in the Netty the
     * project ships, or the answer is false and this fails.
     */
    @Test
    void nettyKnowsBouncyCastleIsAbsentWithoutProbing() throws Exception {
        assertTrue(NettyBouncyCastleProbe.answerAbsent());

        assertFalse(BouncyCastleUtil.isBcProvAvailable());
        assertFalse(BouncyCastleUtil.isBcPkixAvailable());
        assertFalse(BouncyCastleUtil.isBcTlsAvailable());
        assertFalse(BouncyCastleUtil.isBcJsseInUse(SSLContext.getDefault().createSSLEngine()));
        assertThrows(IllegalStateException.class, BouncyCastleUtil::getBcProviderJce);
    }
}
