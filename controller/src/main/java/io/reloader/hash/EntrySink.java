package io.reloader.hash;

import java.security.MessageDigest;
import javax.crypto.Mac;

/** SHA-1 (Reloader's) or the keyed HMAC, fed entries piece by piece. */
interface EntrySink {
    void update(byte[] bytes, int offset, int length);

    void update(byte b);

    byte[] finish();

    static EntrySink of(MessageDigest digest) {
        return new EntrySink() {
            public void update(byte[] bytes, int offset, int length) {
                digest.update(bytes, offset, length);
            }

            public void update(byte b) {
                digest.update(b);
            }

            public byte[] finish() {
                return digest.digest();
            }
        };
    }

    static EntrySink of(Mac mac) {
        return new EntrySink() {
            public void update(byte[] bytes, int offset, int length) {
                mac.update(bytes, offset, length);
            }

            public void update(byte b) {
                mac.update(b);
            }

            public byte[] finish() {
                return mac.doFinal();
            }
        };
    }
}
