package io.cowkv.rdb.lzf;

import java.io.IOException;

/**
 * Decompresses a raw LZF block (see {@link Lzf}) read from an input a byte or a run at a time,
 * handing the output on in pieces: for values too large to hold whole, compressed or not. LZF's
 * back references reach at most 8 KiB back, so only that much output history is kept, plus one
 * piece. Same checks and error texts as {@link Lzf#decompress}; never reads or writes out of
 * bounds whatever the input. Written by hand because no LZF library decodes into pieces (they all
 * want the whole output array).
 */
public final class LzfStreamDecoder {
    /** Farthest back a reference reaches: ((31 << 8) | 255) + 1. */
    static final int HISTORY = 8192;
    /** Output bytes handed on at a time (at most). */
    static final int PIECE = 64 * 1024;

    /** Where the compressed bytes come from. */
    public interface Input {
        /** The next byte, 0-255. */
        int u8() throws IOException;

        /** The next {@code len} bytes into {@code b[off, off+len)}. */
        void read(byte[] b, int off, int len) throws IOException;
    }

    /** Where the decompressed bytes go, in order; {@code b} is reused: valid during the call only. */
    public interface Output {
        void piece(byte[] b, int off, int len) throws IOException;
    }

    private LzfStreamDecoder() {
    }

    /**
     * Reads exactly {@code inLen} compressed bytes from {@code in} and writes exactly
     * {@code outLen} bytes to {@code out}.
     *
     * @return null on success, otherwise a description of the corruption (output may have been
     *         handed on partly; {@code in} may be left inside the block)
     */
    public static String decode(Input in, long inLen, long outLen, Output out) throws IOException {
        byte[] buf = new byte[HISTORY + PIECE];
        int op = 0;
        int emitFrom = 0;
        long consumed = 0;
        long produced = 0;
        while (consumed < inLen) {
            int ctrl = in.u8();
            consumed++;
            int len;
            int dist = 0;
            if (ctrl < 32) {
                len = ctrl + 1;
                if (produced + len > outLen) {
                    return "literal run past the announced length";
                }
                if (consumed + len > inLen) {
                    return "literal run past the end of the input";
                }
            } else {
                len = ctrl >>> 5;
                dist = ((ctrl & 0x1f) << 8) + 1;
                if (consumed >= inLen) {
                    return "back reference truncated";
                }
                if (len == 7) {
                    len += in.u8();
                    consumed++;
                    if (consumed >= inLen) {
                        return "back reference truncated";
                    }
                }
                dist += in.u8();
                consumed++;
                len += 2;
                if (produced + len > outLen) {
                    return "back reference past the announced length";
                }
                if (dist > produced) {
                    return "back reference before the start of the output";
                }
            }
            if (op + len > buf.length) {
                // hand on what is new, keep the last HISTORY bytes for back references
                out.piece(buf, emitFrom, op - emitFrom);
                System.arraycopy(buf, op - HISTORY, buf, 0, HISTORY);
                op = HISTORY;
                emitFrom = HISTORY;
            }
            if (ctrl < 32) {
                in.read(buf, op, len);
                op += len;
                consumed += len;
            } else {
                for (int ref = op - dist, end = op + len; op < end; ) {
                    buf[op++] = buf[ref++];
                }
            }
            produced += len;
        }
        if (produced != outLen) {
            return "decompressed " + produced + " bytes, expected " + outLen;
        }
        if (op > emitFrom) {
            out.piece(buf, emitFrom, op - emitFrom);
        }
        return null;
    }
}
