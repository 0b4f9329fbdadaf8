package io.cowkv.server.memory;

import java.util.Objects;

/**
 * The 64-bit hash the arena computes over its bytes ({@link Arena#hash(long, int)},
 * {@link FrozenView#hash}) and over heap arrays ({@link Arena#hash(byte[], int, int)}): both give
 * the same value for the same bytes, so a key from the network and a key stored in the arena hash
 * alike. Little-endian 8-byte words, a multiply-rotate mix per word and a murmur3 finaliser. Not
 * cryptographic and not seeded per process.
 */
final class Hashing {
    private static final long C1 = 0x9E3779B97F4A7C15L;
    private static final long C2 = 0xC2B2AE3D27D4EB4FL;

    private Hashing() {
    }

    static long seed(int len) {
        return 0x27D4EB2F165667C5L ^ (len * C1);
    }

    static long mix(long h, long word) {
        h ^= word * C2;
        h = Long.rotateLeft(h, 31) * C1;
        return h;
    }

    static long finish(long h, long tail) {
        h ^= tail * C1;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    static long hash(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        long h = seed(len);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            h = mix(h, (long) PageReader.LONG_LE.get(b, off + i));
        }
        long t = 0;
        for (int k = 0; i < len; i++, k++) {
            t |= (b[off + i] & 0xFFL) << (8 * k);
        }
        return finish(h, t);
    }
}
