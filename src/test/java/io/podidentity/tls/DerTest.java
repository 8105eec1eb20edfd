package io.podidentity.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DerTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.2.840.113549.1.1.1", "1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.101.112",
            "2.5.4.3", "2.999.3", "0.0", "1.2.3.18446744073709551", "2.16.840.1.101.3.4.2.1"})
    void objectIdentifiersReadAsBouncyCastleEncodesThem(String oid) throws Exception {
        byte[] theirs = new ASN1ObjectIdentifier(oid).getEncoded();

        assertArrayEquals(theirs, Der.objectIdentifier(oid));
        assertEquals(oid, Der.parse(theirs, Der.OBJECT_IDENTIFIER).oid());
    }

    @Test
    void aPkcs1KeyWrappedAsPkcs8IsTheKeyTheJdkWrites() throws Exception {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        byte[] pkcs1 = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();

        byte[] wrapped = Der.pkcs8("1.2.840.113549.1.1.1", Der.nullValue(), pkcs1);

        assertArrayEquals(key.getEncoded(), wrapped);
        assertEquals(key, KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapped)));
    }

    @Test
    void longLengthsAreReadAndWritten() {
        byte[] value = new byte[70_000];
        value[69_999] = 7;
        byte[] der = Der.encode(Der.OCTET_STRING, value);

        assertArrayEquals(new byte[] {0x04, (byte) 0x83, 0x01, 0x11, 0x70}, java.util.Arrays.copyOf(der, 5));
        assertArrayEquals(value, Der.parse(der, Der.OCTET_STRING).value());
    }

    @Test
    void childrenComeInOrderWithTheirTags() {
        byte[] der = Der.encode(Der.SEQUENCE, Der.encode(Der.INTEGER, new byte[] {1}), Der.objectIdentifier("1.3.101.112"),
                Der.nullValue());

        List<Der.Element> children = Der.parse(der, Der.SEQUENCE).children();

        assertEquals(List.of(Der.INTEGER, Der.OBJECT_IDENTIFIER, Der.NULL), children.stream().map(Der.Element::tag).toList());
        assertEquals("1.3.101.112", Der.parse(der, Der.SEQUENCE).child(1, Der.OBJECT_IDENTIFIER).oid());
        assertEquals("element 2 of the structure is not INTEGER",
                assertThrows(IllegalArgumentException.class, () -> Der.parse(der, Der.SEQUENCE).child(1, Der.INTEGER))
                        .getMessage());
        assertEquals("element 4 of the structure is not NULL",
                assertThrows(IllegalArgumentException.class, () -> Der.parse(der, Der.SEQUENCE).child(3, Der.NULL))
                        .getMessage());
    }

    @Test
    void everyMalformedInputIsRefusedWithItsReason() {
        assertRefused(new byte[0], Der.SEQUENCE, "empty");
        assertRefused(new byte[] {0x30}, Der.SEQUENCE, "truncated: no length");
        assertRefused(new byte[] {0x30, 0x05, 0x02, 0x01}, Der.SEQUENCE, "truncated: 5 bytes announced, 2 present");
        assertRefused(new byte[] {0x30, (byte) 0x82, 0x01}, Der.SEQUENCE, "truncated: length");
        assertRefused(new byte[] {0x30, (byte) 0x80, 0x00, 0x00}, Der.SEQUENCE, "indefinite length is not DER");
        assertRefused(new byte[] {0x30, (byte) 0x85, 1, 1, 1, 1, 1}, Der.SEQUENCE, "length too large");
        assertRefused(new byte[] {0x30, 0x00, 0x05, 0x00}, Der.SEQUENCE, "bytes after the SEQUENCE");
        assertRefused(new byte[] {0x04, 0x00}, Der.SEQUENCE, "not a DER SEQUENCE");
        assertRefused(new byte[] {0x1F, 0x01, 0x00}, Der.SEQUENCE, "multi-byte tags are not used by keys");
        assertRefused(new byte[] {0x30, 0x7F}, Der.SEQUENCE, "truncated: 127 bytes announced, 0 present");
        // Inside: a child whose length runs past its parent.
        assertEquals("truncated: 9 bytes announced, 1 present", assertThrows(IllegalArgumentException.class,
                () -> Der.parse(new byte[] {0x30, 0x03, 0x04, 0x09, 0x00}, Der.SEQUENCE).children()).getMessage());
        assertEquals("object identifier ends inside an arc", assertThrows(IllegalArgumentException.class,
                () -> Der.parse(new byte[] {0x06, 0x02, 0x2A, (byte) 0x86}, Der.OBJECT_IDENTIFIER).oid()).getMessage());
        assertEquals("not an object identifier", assertThrows(IllegalArgumentException.class,
                () -> Der.parse(new byte[] {0x06, 0x00}, Der.OBJECT_IDENTIFIER).oid()).getMessage());
        byte[] huge = new byte[12];
        huge[0] = 0x06;
        huge[1] = 10;
        java.util.Arrays.fill(huge, 2, 12, (byte) 0xFF);
        huge[11] = 0x7F;
        assertEquals("object identifier arc too large", assertThrows(IllegalArgumentException.class,
                () -> Der.parse(huge, Der.OBJECT_IDENTIFIER).oid()).getMessage());
    }

    private static void assertRefused(byte[] der, int tag, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> Der.parse(der, tag)).getMessage());
    }
}
