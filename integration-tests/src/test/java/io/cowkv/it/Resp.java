package io.cowkv.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** RESP encoding of requests and printable escaping of raw bytes, for test messages. */
public final class Resp {
    private Resp() {
    }

    /** A command as a RESP multibulk request. */
    public static byte[] encode(List<byte[]> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ascii(out, "*" + args.size() + "\r\n");
        for (byte[] a : args) {
            ascii(out, "$" + a.length + "\r\n");
            out.writeBytes(a);
            ascii(out, "\r\n");
        }
        return out.toByteArray();
    }

    /** A command of UTF-8 strings as a RESP multibulk request. */
    public static byte[] encode(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ascii(out, "*" + args.length + "\r\n");
        for (String s : args) {
            byte[] a = s.getBytes(StandardCharsets.UTF_8);
            ascii(out, "$" + a.length + "\r\n");
            out.writeBytes(a);
            ascii(out, "\r\n");
        }
        return out.toByteArray();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Bytes as a Java-like string literal body: \r \n \t \\ \" and \xHH for the rest. */
    public static String escape(byte[] b) {
        if (b == null) {
            return "<none>";
        }
        StringBuilder sb = new StringBuilder(b.length + 16);
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.toString();
    }

    public static String escape(String s) {
        return escape(bytes(s));
    }
}
