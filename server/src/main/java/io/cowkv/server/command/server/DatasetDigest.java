package io.cowkv.server.command.server;

import io.cowkv.server.keyspace.ByteSink;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.Keyspace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DEBUG DIGEST and DIGEST-VALUE: Redis's data set signature (debug.c), so the same data in CowKV
 * and in a real Redis give the same 40 hex digits. SHA-1 based and order-independent: a key's
 * digest is mixed from its name, type and value (plus a marker when it has a TTL, whatever the
 * TTL), and the key digests of a database are XORed together after its index is mixed in.
 * Only string values exist in CowKV so far; each collection type will add its element rules.
 *
 * <p>Not thread-safe (one SHA-1 instance); keyspace thread. Allocates per key: a debug command.
 */
final class DatasetDigest {
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);
    private final MessageDigest sha1;

    DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** computeDatasetDigest: all zeros for an empty data set. */
    byte[] dataset(Keyspace keyspace) {
        byte[] result = new byte[20];
        for (int j = 0; j < keyspace.databases(); j++) {
            Database db = keyspace.db(j);
            if (db.size() == 0) {
                continue;
            }
            mix(result, int32(j));
            db.forEachLive(e -> {
                byte[] d = new byte[20];
                mix(d, e.key());
                value(d, e);
                xor(result, d);
            });
        }
        return result;
    }

    /** DIGEST-VALUE of one key: xorObjectDigest without the key name; all zeros when absent. */
    byte[] value(Entry e) {
        byte[] d = new byte[20];
        if (e != null) {
            value(d, e);
        }
        return d;
    }

    private void value(byte[] d, Entry e) {
        mix(d, int32(e.type().ordinal())); // the ordinal is Redis's OBJ_* type number
        mixValue(d, e);
        if (e.expireAt() != Entry.NO_EXPIRE) {
            xor(d, EXPIRE_MARK);
        }
    }

    static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder(40);
        for (byte b : d) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** xorDigest: digest ^= SHA1(bytes). */
    private void xor(byte[] digest, byte[] bytes) {
        xorHash(digest, sha1.digest(bytes));
    }

    /** digest ^= h (a SHA-1 already computed). */
    private static void xorHash(byte[] digest, byte[] h) {
        for (int i = 0; i < 20; i++) {
            digest[i] ^= h[i];
        }
    }

    /** mixDigest: xorDigest, then digest = SHA1(digest). */
    private void mix(byte[] digest, byte[] bytes) {
        xor(digest, bytes);
        rehash(digest);
    }

    /** mixDigest's second half: digest = SHA1(digest). */
    private void rehash(byte[] digest) {
        System.arraycopy(sha1.digest(digest), 0, digest, 0, 20);
    }

    /**
     * mixDigest of a string value, fed to SHA-1 in pieces straight from the arena: a value may be
     * larger than the heap (DEBUG DIGEST of a 100 MB value on a 64 MB heap).
     */
    private void mixValue(byte[] d, Entry e) {
        if (e.isInt()) {
            mix(d, e.stringBytes());
            return;
        }
        sha1.reset();
        e.writeString(feed);
        xorHash(d, sha1.digest());
        rehash(d);
    }

    /** Hands a value's bytes to {@link #sha1} (as heap pieces: MessageDigest takes no native memory). */
    private final ByteSink feed = new ByteSink() {
        @Override
        public void bytes(byte[] b, int off, int len) {
            sha1.update(b, off, len);
        }

        @Override
        public void nativeBytes(long address, int len) {
            throw new UnsupportedOperationException("heap pieces only");
        }

        @Override
        public boolean acceptsNative() {
            return false;
        }
    };

    /** htonl(v) as 4 bytes. */
    private static byte[] int32(int v) {
        return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
