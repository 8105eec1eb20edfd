package io.podidentity.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER for the keys a PEM file carries: the algorithm of a PKCS#8 key or a public key,
 * the curve of a SEC1 key, and PKCS#1 and SEC1 keys wrapped as PKCS#8 for the JDK's key factories.
 * The webhook reads its serving key with this at every start and every reload, so that reading it
 * loads no class of Bouncy Castle's signed jar (on the JVM, each is checked against the jar's
 * signature as it loads; bench/RESULTS.md).
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]}, constructed: SEC1's optional curve parameters. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    /** One element: its tag and its value's bytes. */
    record Element(int tag, byte[] value) {

        /** The elements a constructed value holds, in order. */
        List<Element> children() {
            List<Element> children = new ArrayList<>();
            int offset = 0;
            while (offset < value.length) {
                int[] header = header(value, offset);
                int start = header[0];
                int end = start + header[1];
                children.add(new Element(value[offset] & 0xFF, Arrays.copyOfRange(value, start, end)));
                offset = end;
            }
            return children;
        }

        /** The {@code index}th child, which must have {@code tag}. */
        Element child(int index, int tag) {
            List<Element> children = children();
            if (index >= children.size() || children.get(index).tag() != tag) {
                throw new IllegalArgumentException("element " + (index + 1) + " of the structure is not "
                        + name(tag));
            }
            return children.get(index);
        }

        /** This object identifier in dotted form. */
        String oid() {
            if (tag != OBJECT_IDENTIFIER || value.length == 0) {
                throw new IllegalArgumentException("not an object identifier");
            }
            StringBuilder dotted = new StringBuilder();
            long arc = 0;
            boolean first = true;
            for (byte b : value) {
                if (arc > (Long.MAX_VALUE >>> 7)) {
                    throw new IllegalArgumentException("object identifier arc too large");
                }
                arc = (arc << 7) | (b & 0x7F);
                if ((b & 0x80) == 0) {
                    if (first) {
                        long top = Math.min(arc / 40, 2);
                        dotted.append(top).append('.').append(arc - 40 * top);
                        first = false;
                    } else {
                        dotted.append('.').append(arc);
                    }
                    arc = 0;
                }
            }
            if ((value[value.length - 1] & 0x80) != 0) {
                throw new IllegalArgumentException("object identifier ends inside an arc");
            }
            return dotted.toString();
        }
    }

    /**
     * {@code der} read as exactly one element with {@code tag}.
     *
     * @throws IllegalArgumentException when it is not
     */
    static Element parse(byte[] der, int tag) {
        if (der.length == 0) {
            throw new IllegalArgumentException("empty");
        }
        int[] header = header(der, 0);
        if (header[0] + header[1] != der.length) {
            throw new IllegalArgumentException("bytes after the " + name(der[0] & 0xFF));
        }
        if ((der[0] & 0xFF) != tag) {
            throw new IllegalArgumentException("not a DER " + name(tag));
        }
        return new Element(tag, Arrays.copyOfRange(der, header[0], der.length));
    }

    /** A PKCS#8 {@code PrivateKeyInfo}: version 0, the algorithm with its parameters, the key. */
    static byte[] pkcs8(String algorithm, byte[] parameters, byte[] key) {
        return encode(SEQUENCE, encode(INTEGER, new byte[] {0}),
                encode(SEQUENCE, encode(OBJECT_IDENTIFIER, oid(algorithm)), parameters),
                encode(OCTET_STRING, key));
    }

    /** ASN.1's {@code NULL}, the parameters of an RSA key's algorithm. */
    static byte[] nullValue() {
        return encode(NULL);
    }

    /** An object identifier, encoded whole. */
    static byte[] objectIdentifier(String dotted) {
        return encode(OBJECT_IDENTIFIER, oid(dotted));
    }

    static byte[] encode(int tag, byte[]... contents) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] content : contents) {
            value.writeBytes(content);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return out.toByteArray();
    }

    private static void base128(ByteArrayOutputStream out, long arc) {
        int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(arc) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            out.write((int) ((arc >>> (7 * i)) & 0x7F) | (i > 0 ? 0x80 : 0));
        }
    }

    /** {value's offset, value's length} of the element at {@code offset}, checked against the input. */
    private static int[] header(byte[] der, int offset) {
        if ((der[offset] & 0x1F) == 0x1F) {
            throw new IllegalArgumentException("multi-byte tags are not used by keys");
        }
        if (offset + 1 >= der.length) {
            throw new IllegalArgumentException("truncated: no length");
        }
        int first = der[offset + 1] & 0xFF;
        int start = offset + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7F;
            if (bytes == 0 || bytes > 4) {
                throw new IllegalArgumentException(bytes == 0 ? "indefinite length is not DER" : "length too large");
            }
            if (start + bytes > der.length) {
                throw new IllegalArgumentException("truncated: length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[start + i] & 0xFF);
            }
            start += bytes;
        }
        if (length > der.length - start) {
            throw new IllegalArgumentException("truncated: " + length + " bytes announced, " + (der.length - start)
                    + " present");
        }
        return new int[] {start, (int) length};
    }

    private static String name(int tag) {
        return switch (tag) {
            case INTEGER -> "INTEGER";
            case OCTET_STRING -> "OCTET STRING";
            case NULL -> "NULL";
            case OBJECT_IDENTIFIER -> "OBJECT IDENTIFIER";
            case SEQUENCE -> "SEQUENCE";
            case CONTEXT_0 -> "[0]";
            default -> String.format("tag 0x%02X", tag);
        };
    }
}
