package io.cfmesos.diego.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few ASN.1 DER pieces needed to re-wrap PKCS#1 (RSA) and SEC1 (EC) private keys as PKCS#8, which is the only
 * encoding the JDK's KeyFactory reads. Not a general ASN.1 library: definite lengths only, as DER requires.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** Context-specific, constructed, tag 0: SEC1 ECPrivateKey's {@code parameters [0]}. */
    static final int CONTEXT_0 = 0xA0;

    /** rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 appendix A.1). */
    static final byte[] RSA_ENCRYPTION_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 section 2.1.1). */
    static final byte[] EC_PUBLIC_KEY_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private Der() {
    }

    /** One tag-length-value element; {@code value} is the content octets. */
    record Element(int tag, byte[] value) {
        List<Element> children() {
            return parseAll(value);
        }
    }

    static Element parse(byte[] der) {
        List<Element> all = parseAll(der);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one DER element, found " + all.size());
        }
        return all.get(0);
    }

    static List<Element> parseAll(byte[] der) {
        List<Element> out = new ArrayList<>();
        int pos = 0;
        while (pos < der.length) {
            int tag = der[pos++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("multi-byte DER tags are not supported");
            }
            if (pos >= der.length) {
                throw new IllegalArgumentException("truncated DER length");
            }
            int first = der[pos++] & 0xFF;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int n = first & 0x7F;
                if (n == 0 || n > 4) {
                    throw new IllegalArgumentException("unsupported DER length form");
                }
                length = 0;
                for (int i = 0; i < n; i++) {
                    if (pos >= der.length) {
                        throw new IllegalArgumentException("truncated DER length");
                    }
                    length = (length << 8) | (der[pos++] & 0xFF);
                }
            }
            if (length < 0 || length > der.length - pos) {
                throw new IllegalArgumentException("DER length exceeds the data");
            }
            out.add(new Element(tag, Arrays.copyOfRange(der, pos, pos + length)));
            pos += length;
        }
        return out;
    }

    static byte[] encode(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len <= 0xFF) {
            out.write(0x81);
            out.write(len);
        } else if (len <= 0xFFFF) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x84);
            out.write(len >>> 24);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return encode(SEQUENCE, body.toByteArray());
    }

    /** A small non-negative INTEGER (only versions are written here). */
    static byte[] smallInteger(int v) {
        if (v < 0 || v > 127) {
            throw new IllegalArgumentException("only 0..127");
        }
        return encode(INTEGER, new byte[] {(byte) v});
    }
}
