package io.cowkv.server.memory;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The 64-bit key hash: SipHash-1-2 keyed with 16 random bytes per process, as Redis 7 hashes its
 * dictionary keys ({@code siphash.c}, seeded once at start-up from {@code getRandomBytes}). A
 * client cannot predict which keys collide, so it cannot build long bucket chains (hash flooding),
 * which a fixed or merely seeded multiply-rotate mix would allow.
 *
 * <p>Two implementations run the same function: {@link #hash(byte[], int, int, long, long, int, int)}
 * over a heap array (keys from the network, {@link Arena#hash(byte[], int, int)}) and
 * {@link PageReader#hash(long, int, long, long, int, int)} over arena bytes (stored keys,
 * {@link Arena#hash(long, int)}, {@link FrozenView#hash}). Contract: for the same bytes, key and
 * round counts both return the same value; the dictionary depends on it (a look-up hashes the
 * request's bytes, a rehash step the stored key's). The SipHash state is four longs, which a
 * helper method could not return without allocating, so each implementation runs the rounds on
 * its own local variables; both take the key and the round counts as parameters so that the tests
 * check each against the published SipHash-2-4 vectors and Redis's SipHash-1-2 values.
 *
 * <p>{@link #K0}/{@link #K1} are read once per process (class initialisation) and are the same
 * for every database and arena of the process. No hash value leaves the process or is compared
 * with another process's: records do not store their hash, an RDB file holds keys and values
 * only (in the order of the save's walk) and the loader hashes each key anew, DEBUG DIGEST is an
 * order-independent SHA-1 over names and values, and SCAN cursors (bucket positions) are only
 * meaningful to the process that handed them out.
 * A consequence, as in Redis: the order of KEYS, SCAN and RANDOMKEY differs from run to run.
 */
final class Hashing {
    /** SipHash compression rounds per 8-byte block ({@code cROUNDS} in Redis's siphash.c). */
    static final int C_ROUNDS = 1;
    /** SipHash finalisation rounds ({@code dROUNDS}). */
    static final int D_ROUNDS = 2;

    /** The process key: its first 8 bytes (little-endian), then the last 8. */
    static final long K0;
    static final long K1;

    static {
        byte[] k = new byte[16];
        new SecureRandom().nextBytes(k);
        K0 = (long) PageReader.LONG_LE.get(k, 0);
        K1 = (long) PageReader.LONG_LE.get(k, 8);
    }

    // SipHash's initialisation constants ("somepseudorandomlygeneratedbytes").
    static final long IV0 = 0x736f6d6570736575L;
    static final long IV1 = 0x646f72616e646f6dL;
    static final long IV2 = 0x6c7967656e657261L;
    static final long IV3 = 0x7465646279746573L;

    private Hashing() {
    }

    /** SipHash-1-2 of {@code b[off, off+len)} with the process key. */
    static long hash(byte[] b, int off, int len) {
        return hash(b, off, len, K0, K1, C_ROUNDS, D_ROUNDS);
    }

    /**
     * SipHash-c-d of {@code b[off, off+len)} with key {@code (k0, k1)}; {@code cRounds} and
     * {@code dRounds} at least 1. The message is read as {@code len/8} little-endian words, then the
     * final block: the last {@code len%8} bytes in its low bytes and {@code len & 0xff} in its top
     * byte; each block is absorbed with {@code cRounds} SipRounds, then {@code dRounds} finalise.
     * No allocation.
     *
     * <p>The round loops are do-while loops on purpose: this method is too large for the JIT to
     * inline (so the round counts are not constants in the compiled code), and C2 turns a
     * {@code for} loop with an unknown count into pre/main/post loops, which made a 40-byte key
     * about 50% slower than hard-coded rounds; the do-while form costs the same as hard-coded
     * rounds ({@code HashBench}).
     */
    static long hash(byte[] b, int off, int len, long k0, long k1, int cRounds, int dRounds) {
        Objects.checkFromIndexSize(off, len, b.length);
        long v0 = k0 ^ IV0;
        long v1 = k1 ^ IV1;
        long v2 = k0 ^ IV2;
        long v3 = k1 ^ IV3;
        int words = len >>> 3;
        for (int w = 0; w <= words; w++) { // block number `words` is the final block
            long m = w < words ? (long) PageReader.LONG_LE.get(b, off + 8 * w) : lastBlock(b, off, len);
            v3 ^= m;
            int r = cRounds;
            do { // SipRound
                v0 += v1; v1 = Long.rotateLeft(v1, 13) ^ v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17) ^ v2; v2 = Long.rotateLeft(v2, 32);
            } while (--r > 0);
            v0 ^= m;
        }
        v2 ^= 0xff;
        int r = dRounds;
        do { // SipRound
            v0 += v1; v1 = Long.rotateLeft(v1, 13) ^ v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16) ^ v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21) ^ v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17) ^ v2; v2 = Long.rotateLeft(v2, 32);
        } while (--r > 0);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /**
     * SipHash's final block of the {@code len} bytes at {@code b[off]}: the last {@code len % 8}
     * bytes, little-endian, and {@code len << 56}. A fall-through switch, as the reference code
     * (a loop over the 0-7 bytes cost more than the bytes).
     */
    private static long lastBlock(byte[] b, int off, int len) {
        long m = (long) len << 56;
        int t = off + (len & ~7);
        switch (len & 7) {
            case 7: m |= (b[t + 6] & 0xFFL) << 48; // fall through
            case 6: m |= (b[t + 5] & 0xFFL) << 40; // fall through
            case 5: m |= (b[t + 4] & 0xFFL) << 32; // fall through
            case 4: m |= (b[t + 3] & 0xFFL) << 24; // fall through
            case 3: m |= (b[t + 2] & 0xFFL) << 16; // fall through
            case 2: m |= (b[t + 1] & 0xFFL) << 8; // fall through
            case 1: m |= b[t] & 0xFFL; break;
            default: break;
        }
        return m;
    }
}
