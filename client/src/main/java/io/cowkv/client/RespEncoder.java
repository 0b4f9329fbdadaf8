package io.cowkv.client;

import io.netty.buffer.ByteBuf;

/** Writes commands as RESP arrays of bulk strings (the only form servers must accept). */
final class RespEncoder {
    private static final byte[] CRLF = {'\r', '\n'};

    private RespEncoder() {}

    static void encode(ByteBuf out, byte[][] args) {
        out.writeByte('*');
        writeDecimal(out, args.length);
        out.writeBytes(CRLF);
        for (byte[] a : args) {
            out.writeByte('$');
            writeDecimal(out, a.length);
            out.writeBytes(CRLF);
            out.writeBytes(a);
            out.writeBytes(CRLF);
        }
    }

    static int encodedSize(byte[][] args) {
        int n = 16;
        for (byte[] a : args) n += a.length + 16;
        return n;
    }

    private static void writeDecimal(ByteBuf out, int v) {
        if (v < 10) {
            out.writeByte('0' + v);
            return;
        }
        byte[] tmp = new byte[10];
        int i = tmp.length;
        while (v > 0) {
            tmp[--i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        out.writeBytes(tmp, i, tmp.length - i);
    }
}
