package io.cowkv.server.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

import net.openhft.chronicle.core.UnsafeMemory;

/**
 * The read side of a two-level page table: translation of logical addresses to native addresses
 * and the read operations built on it. Used by the live {@link Arena} (whose owner replaces
 * {@link #dir} and {@link #chunkBase} when they grow) and by each frozen view (fields never change
 * after construction).
 *
 * <p>Correct by construction: every native access goes through {@link #nativeAddress} for one page
 * at a time with an in-page length, after checking that the page is mapped. An unmapped page, an
 * address beyond the table or a negative address throws {@link ArenaAccessException} before any
 * native access. Nothing here allocates on the heap.
 */
final class PageReader {
    static final int LEAF_SHIFT = 10;
    static final int LEAF_SIZE = 1 << LEAF_SHIFT;
    static final int LEAF_MASK = LEAF_SIZE - 1;
    static final int UNMAPPED = -1;

    static final UnsafeMemory MEM = UnsafeMemory.MEMORY;
    static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final int pageShift;
    final int pageSize;
    final long pageMask;
    final int chunkShift;
    final int chunkMask;

    /** Directory of leaves; a leaf maps {@code LEAF_SIZE} pages to frame ids ({@code -1}: unmapped). */
    int[][] dir;
    /** Native base address of each chunk of frames. */
    long[] chunkBase;

    PageReader(int pageShift, int chunkShift, int[][] dir, long[] chunkBase) {
        this.pageShift = pageShift;
        this.pageSize = 1 << pageShift;
        this.pageMask = pageSize - 1;
        this.chunkShift = chunkShift;
        this.chunkMask = (1 << chunkShift) - 1;
        this.dir = dir;
        this.chunkBase = chunkBase;
    }

    // ---------------------------------------------------------------- translation

    /** Frame id mapped at the page of {@code address}; throws if none. */
    final int frameOf(long address) {
        long page = address >>> pageShift;
        int[][] d = dir;
        if (page >= ((long) d.length << LEAF_SHIFT)) {
            throw unmapped(address);
        }
        int[] leaf = d[(int) (page >>> LEAF_SHIFT)];
        if (leaf == null) {
            throw unmapped(address);
        }
        int f = leaf[(int) page & LEAF_MASK];
        if (f < 0) {
            throw unmapped(address);
        }
        return f;
    }

    final long frameAddress(int frame) {
        return chunkBase[frame >>> chunkShift] + ((long) (frame & chunkMask) << pageShift);
    }

    /** Native address of {@code address}; valid for the bytes up to the end of its page. */
    final long nativeAddress(long address) {
        return frameAddress(frameOf(address)) + (address & pageMask);
    }

    static ArenaAccessException unmapped(long address) {
        return new ArenaAccessException("address 0x" + Long.toHexString(address) + " is not mapped");
    }

    final int inPage(long address) {
        return pageSize - (int) (address & pageMask);
    }

    // ---------------------------------------------------------------- reads

    final byte readByte(long a) {
        return MEM.readByte(nativeAddress(a));
    }

    final short readShort(long a) {
        if (inPage(a) >= 2) {
            short v = MEM.readShort(nativeAddress(a));
            return NATIVE_LE ? v : Short.reverseBytes(v);
        }
        return (short) readSlow(a, 2);
    }

    final int readInt(long a) {
        if (inPage(a) >= 4) {
            int v = MEM.readInt(nativeAddress(a));
            return NATIVE_LE ? v : Integer.reverseBytes(v);
        }
        return (int) readSlow(a, 4);
    }

    final long readLong(long a) {
        if (inPage(a) >= 8) {
            long v = MEM.readLong(nativeAddress(a));
            return NATIVE_LE ? v : Long.reverseBytes(v);
        }
        return readSlow(a, 8);
    }

    /** Little-endian value of {@code width} bytes that cross a page boundary. */
    private long readSlow(long a, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (MEM.readByte(nativeAddress(a + i)) & 0xFFL) << (8 * i);
        }
        return v;
    }

    final void read(long a, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        while (len > 0) {
            int piece = Math.min(len, inPage(a));
            MEM.readBytes(nativeAddress(a), dst, off, piece);
            a += piece;
            off += piece;
            len -= piece;
        }
    }

    final boolean equalsBytes(long a, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        while (len > 0) {
            int piece = Math.min(len, inPage(a));
            long na = nativeAddress(a);
            int i = 0;
            for (; i + 8 <= piece; i += 8) {
                long v = MEM.readLong(na + i);
                if (!NATIVE_LE) {
                    v = Long.reverseBytes(v);
                }
                if (v != (long) LONG_LE.get(src, off + i)) {
                    return false;
                }
            }
            for (; i < piece; i++) {
                if (MEM.readByte(na + i) != src[off + i]) {
                    return false;
                }
            }
            a += piece;
            off += piece;
            len -= piece;
        }
        return true;
    }

    final void forEachChunk(long a, int len, NativeChunkConsumer consumer) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        long runStart = 0;
        int runLen = 0;
        while (len > 0) {
            int piece = Math.min(len, inPage(a));
            long na = nativeAddress(a);
            if (runLen > 0 && runStart + runLen == na) {
                runLen += piece;
            } else {
                if (runLen > 0) {
                    consumer.accept(runStart, runLen);
                }
                runStart = na;
                runLen = piece;
            }
            a += piece;
            len -= piece;
        }
        if (runLen > 0) {
            consumer.accept(runStart, runLen);
        }
    }

    /** SipHash-1-2 of the {@code len} bytes at {@code a} with the process key: {@link Hashing#hash(byte[], int, int)} of the same bytes. */
    final long hash(long a, int len) {
        return hash(a, len, Hashing.K0, Hashing.K1, Hashing.C_ROUNDS, Hashing.D_ROUNDS);
    }

    /**
     * SipHash-c-d of the {@code len} bytes at {@code a} with key {@code (k0, k1)}: the same function,
     * block for block and loop for loop, as {@link Hashing#hash(byte[], int, int, long, long, int, int)}
     * (see there, also for why the round loops are do-while), over arena bytes. A key within one
     * page is read through its native address, 8 bytes at a time; one that crosses a page boundary
     * through the page table. No allocation.
     */
    final long hash(long a, int len, long k0, long k1, int cRounds, int dRounds) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        boolean onePage = len > 0 && inPage(a) >= len;
        long na = onePage ? nativeAddress(a) : 0;
        long v0 = k0 ^ Hashing.IV0;
        long v1 = k1 ^ Hashing.IV1;
        long v2 = k0 ^ Hashing.IV2;
        long v3 = k1 ^ Hashing.IV3;
        int words = len >>> 3;
        for (int w = 0; w <= words; w++) { // block number `words` is the final block
            long m;
            if (w == words) {
                m = lastBlock(a, len, na);
            } else if (onePage) {
                long x = MEM.readLong(na + 8L * w);
                m = NATIVE_LE ? x : Long.reverseBytes(x);
            } else {
                m = readLong(a + 8L * w);
            }
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
     * SipHash's final block of the {@code len} bytes at {@code a}: the last {@code len % 8} bytes,
     * little-endian, and {@code len << 56}. {@code na} is the native address of {@code a} when all
     * the bytes are in one page, else 0 (then they are read one by one through the page table).
     */
    private long lastBlock(long a, int len, long na) {
        long m = (long) len << 56;
        int t = len & ~7;
        if (na == 0) {
            for (int i = t, s = 0; i < len; i++, s += 8) {
                m |= (readByte(a + i) & 0xFFL) << s;
            }
            return m;
        }
        long p = na + t;
        switch (len & 7) {
            case 7: m |= (MEM.readByte(p + 6) & 0xFFL) << 48; // fall through
            case 6: m |= (MEM.readByte(p + 5) & 0xFFL) << 40; // fall through
            case 5: m |= (MEM.readByte(p + 4) & 0xFFL) << 32; // fall through
            case 4: m |= (MEM.readByte(p + 3) & 0xFFL) << 24; // fall through
            case 3: m |= (MEM.readByte(p + 2) & 0xFFL) << 16; // fall through
            case 2: m |= (MEM.readByte(p + 1) & 0xFFL) << 8; // fall through
            case 1: m |= MEM.readByte(p) & 0xFFL; break;
            default: break;
        }
        return m;
    }
}
