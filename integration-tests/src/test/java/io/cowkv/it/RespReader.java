package io.cowkv.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads exactly one complete RESP2/RESP3 reply from a stream and returns its raw bytes, as the
 * server sent them. Aggregates ({@code * % ~ > |}) are read recursively; an attribute
 * ({@code |}) is returned together with the reply it annotates. Lengths are checked against
 * limits, so a broken server cannot make a test allocate without bound.
 *
 * <p>Not thread-safe; one reader per connection.
 */
public final class RespReader {
    private static final int MAX_LINE = 64 * 1024;
    private static final long MAX_BULK = 64L * 1024 * 1024;
    private static final int MAX_DEPTH = 64;

    private final InputStream in;

    public RespReader(InputStream in) {
        this.in = in;
    }

    /** The next complete reply's raw bytes. @throws EOFException if the stream ends first. */
    public byte[] readReply() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readInto(out, 0);
        return out.toByteArray();
    }

    private void readInto(ByteArrayOutputStream out, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("RESP reply nested deeper than " + MAX_DEPTH);
        }
        byte[] line = readLine();
        out.writeBytes(line);
        char type = (char) line[0];
        String header = new String(line, 1, line.length - 3, StandardCharsets.US_ASCII);
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> {
                // single line
            }
            case '$', '=', '!' -> {
                long n = parseLength(header, line);
                if (n >= 0) {
                    if (n > MAX_BULK) {
                        throw new IOException("bulk too long: " + n);
                    }
                    byte[] body = in.readNBytes((int) n + 2);
                    if (body.length < n + 2) {
                        throw new EOFException("stream ended inside a bulk of " + n + " bytes after " + Resp.escape(out.toByteArray()));
                    }
                    if (body[(int) n] != '\r' || body[(int) n + 1] != '\n') {
                        throw new IOException("bulk not terminated by CRLF: " + Resp.escape(body));
                    }
                    out.writeBytes(body);
                }
            }
            case '*', '~', '>' -> {
                long n = parseLength(header, line);
                for (long i = 0; i < n; i++) {
                    readInto(out, depth + 1);
                }
            }
            case '%' -> {
                long n = parseLength(header, line);
                for (long i = 0; i < 2 * n; i++) {
                    readInto(out, depth + 1);
                }
            }
            case '|' -> {
                long n = parseLength(header, line);
                for (long i = 0; i < 2 * n; i++) {
                    readInto(out, depth + 1);
                }
                readInto(out, depth + 1); // the reply the attribute belongs to
            }
            default -> throw new IOException("unknown RESP type byte in line: " + Resp.escape(line));
        }
    }

    private static long parseLength(String header, byte[] line) throws IOException {
        try {
            long n = Long.parseLong(header);
            if (n < -1) {
                throw new IOException("negative length in " + Resp.escape(line));
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("bad length in " + Resp.escape(line));
        }
    }

    /** A line including its CRLF. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException(line.size() == 0 ? "connection closed"
                        : "stream ended inside a line: " + Resp.escape(line.toByteArray()));
            }
            line.write(c);
            if (prev == '\r' && c == '\n') {
                if (line.size() < 3) {
                    throw new IOException("empty RESP line");
                }
                return line.toByteArray();
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("RESP line longer than " + MAX_LINE + " bytes");
            }
            prev = c;
        }
    }

    /**
     * Splits a raw aggregate reply into its header line and its elements' raw bytes (a map's
     * key and value form one element, so entries stay paired). Returns null for a non-aggregate.
     */
    public static List<byte[]> elements(byte[] reply) throws IOException {
        char t = (char) reply[0];
        if (t != '*' && t != '~' && t != '%' && t != '>') {
            return null;
        }
        java.io.ByteArrayInputStream bin = new java.io.ByteArrayInputStream(reply);
        RespReader r = new RespReader(bin);
        byte[] header = r.readLine();
        long n = parseLength(new String(header, 1, header.length - 3, StandardCharsets.US_ASCII), header);
        List<byte[]> out = new ArrayList<>();
        out.add(header);
        for (long i = 0; i < n; i++) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            r.readInto(e, 1);
            if (t == '%') {
                r.readInto(e, 1);
            }
            out.add(e.toByteArray());
        }
        return out;
    }
}
