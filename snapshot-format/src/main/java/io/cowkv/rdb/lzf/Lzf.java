package io.cowkv.rdb.lzf;

import com.ning.compress.lzf.impl.VanillaChunkEncoder;

/**
 * Raw LZF blocks as Redis stores them in RDB strings: the bare output of liblzf's {@code lzf_compress},
 * without the "ZV" chunk header the LZF file format adds.
 *
 * <p>Compression uses com.ning:compress-lzf (a port of liblzf). Its public API only emits framed
 * chunks ({@code LZFEncoder}, {@code ChunkEncoder.encodeChunk} prepend a 5/7-byte "ZV" header), but the
 * protected {@code tryCompress} of {@link VanillaChunkEncoder} writes exactly the raw block, so a
 * small subclass exposes it. Decompression is our own: it is a few lines, never reads or writes out of
 * bounds whatever the input (the library's fast decoder uses {@code sun.misc.Unsafe} and trusts its
 * input), and reports corruption with a return value instead of an exception type of another library.
 *
 * <p>An {@code Lzf} instance holds the compressor's hash table and is not thread-safe; the static
 * {@link #decompress} is.
 */
public final class Lzf {
    /** Largest expansion of one compressed byte: a 3-byte back reference yields 264 bytes. */
    public static final int MAX_EXPANSION = 88;

    private final RawEncoder encoder = new RawEncoder();
    private byte[] out = new byte[1024];

    private static final class RawEncoder extends VanillaChunkEncoder {
        RawEncoder() {
            super(0xFFFF);
        }

        int compress(byte[] in, int off, int len, byte[] dst) {
            return tryCompress(in, off, off + len, dst, 0);
        }
    }

    /**
     * Compresses {@code in[off..off+len)} the way Redis decides to: only inputs longer than 4 bytes, and
     * only if the result fits in {@code len - 4} bytes.
     *
     * @return the compressed length, the bytes being in {@link #buffer()}; or -1 if not worth it
     */
    public int compress(byte[] in, int off, int len) {
        if (len <= 4) {
            return -1;
        }
        long worst = (long) len + len / 32 + 64;
        if (worst > Integer.MAX_VALUE - 16) {
            return -1;
        }
        if (out.length < worst) {
            out = new byte[(int) worst];
        }
        int n = encoder.compress(in, off, len, out);
        return n > 0 && n <= len - 4 ? n : -1;
    }

    /** The buffer holding the result of the last successful {@link #compress}; owned by this instance. */
    public byte[] buffer() {
        return out;
    }

    /**
     * Decompresses a raw LZF block into exactly {@code outLen} bytes.
     *
     * @return null on success, otherwise a description of the corruption
     */
    public static String decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        int ip = inOff;
        int inEnd = inOff + inLen;
        int op = outOff;
        int outEnd = outOff + outLen;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outEnd) {
                    return "literal run past the announced length";
                }
                if (ip + run > inEnd) {
                    return "literal run past the end of the input";
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= inEnd) {
                    return "back reference truncated";
                }
                if (len == 7) {
                    len += in[ip++] & 0xff;
                    if (ip >= inEnd) {
                        return "back reference truncated";
                    }
                }
                ref -= in[ip++] & 0xff;
                len += 2;
                if (op + len > outEnd) {
                    return "back reference past the announced length";
                }
                if (ref < outOff) {
                    return "back reference before the start of the output";
                }
                for (int i = 0; i < len; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outEnd) {
            return "decompressed " + (op - outOff) + " bytes, expected " + outLen;
        }
        return null;
    }
}
