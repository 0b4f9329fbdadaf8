package io.cowkv.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

/** A raw client socket to a server: write bytes, read raw replies; every read is bounded. */
public final class RespConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedInputStream in;
    private final RespReader reader;

    public RespConnection(ServerProcess server) throws IOException {
        this(server.host(), server.port(), 10_000);
    }

    public RespConnection(String host, int port, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        reader = new RespReader(in);
    }

    /** This connection's local port: the server sees the client as {@code 127.0.0.1:<localPort>}. */
    public int localPort() {
        return socket.getLocalPort();
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(List<byte[]> args) throws IOException {
        write(Resp.encode(args));
    }

    public byte[] readReply() throws IOException {
        return reader.readReply();
    }

    /** Sends a command and reads its one reply. */
    public byte[] call(String... args) throws IOException {
        write(Resp.encode(args));
        return readReply();
    }

    /** Sends a command and reads its reply as a string (for short replies in assertions). */
    public String callString(String... args) throws IOException {
        return new String(call(args), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Reads whatever arrives until the server closes the connection or {@code millis} pass;
     * returns the bytes and whether the connection was closed (EOF or reset).
     */
    public Drained drain(int millis) throws IOException {
        return drain(millis, null);
    }

    /**
     * As {@link #drain(int)}, but returns as soon as what arrived ends with {@code end} (when not
     * null): a stream whose last reply is known need not wait out the time.
     */
    public Drained drain(int millis, byte[] end) throws IOException {
        socket.setSoTimeout(millis);
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long deadline = System.currentTimeMillis() + millis;
        try {
            while (System.currentTimeMillis() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    return new Drained(got.toByteArray(), true);
                }
                got.write(buf, 0, n);
                if (end != null && got.size() >= end.length) {
                    byte[] all = got.toByteArray();
                    if (java.util.Arrays.equals(all, all.length - end.length, all.length, end, 0, end.length)) {
                        return new Drained(all, false);
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            return new Drained(got.toByteArray(), false);
        } catch (java.net.SocketException e) {
            return new Drained(got.toByteArray(), true); // reset by peer counts as closed
        }
        return new Drained(got.toByteArray(), false);
    }

    /** What {@link #drain} saw. */
    public record Drained(byte[] bytes, boolean closed) {
        public String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
