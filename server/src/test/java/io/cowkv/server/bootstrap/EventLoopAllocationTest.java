package io.cowkv.server.bootstrap;

import io.cowkv.server.config.ConfigLoader;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole request path on a running server -- socket read, decoding, dispatch, reply, Netty's
 * write and flush -- allocates (next to) nothing on the Java heap per command once warm, measured
 * with the JVM's allocation counter of the event loop thread. Unlike the dispatcher-level
 * HotPathAllocationTest this includes Netty's per-write objects, which Netty pools only on its own
 * thread type.
 */
class EventLoopAllocationTest {
    private CowKvServer server;
    private final ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        ResourceLeakDetector.setLevel(leakLevel);
    }

    @Test
    void setAndGetOverTheNetworkDoNotAllocatePerCommand(@TempDir Path dir) throws Exception {
        assertThat(heapBytesPerCommand(dir, "auto")).as("heap bytes the event loop allocated per command").isLessThan(8);
        assertThat(server.context().multiplexingApi).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
    }

    /**
     * The io_uring transport (opt-in, net.Transport) serves the same exchanges; Netty allocates one
     * small IoUringIoOps per receive and per send there, which is why it is not the default. The
     * bound catches anything CowKV would add on top.
     */
    @Test
    void ioUringServesTheSameWithOnlyNettysPerOperationObjects(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(IoUring.isAvailable(), "io_uring is not available on this kernel");
        long perCommand = heapBytesPerCommand(dir, "io_uring");
        assertThat(server.context().multiplexingApi).isEqualTo("io_uring");
        assertThat(perCommand).as("heap bytes per command on io_uring").isLessThan(400);
    }

    /**
     * INFO persistence, the section monitoring and the bench scripts poll (every 50 ms during a
     * save): its garbage decides how often G1's small eden fills, and a young collection during a
     * save pauses every client (docs/benchmarks-cow.md, session 19). The text is built in a reused
     * buffer and written straight into the reply, so a call allocates less than its own text
     * (11,214 bytes for a 1,035-byte reply before session 19, 328 after).
     */
    @Test
    void infoPersistenceAllocatesLessThanItsText(@TempDir Path dir) throws Exception {
        startServer(dir, "auto");
        long loop = eventLoopThreadId();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] request = resp("INFO", "persistence");
            int replyBytes = 0;
            for (int i = 0; i < 3000; i++) { // warm-up
                replyBytes = infoExchange(request, out, in);
            }
            long before = mx.getThreadAllocatedBytes(loop);
            int calls = 2000;
            for (int i = 0; i < calls; i++) {
                infoExchange(request, out, in);
            }
            long perCall = (mx.getThreadAllocatedBytes(loop) - before) / calls;
            System.out.println("INFO persistence: " + perCall + " heap bytes per call, reply " + replyBytes + " bytes");
            assertThat(perCall).as("heap bytes per INFO persistence (reply %d bytes)", replyBytes)
                    .isLessThan(replyBytes);
        }
    }

    /** One INFO exchange; returns the reply's length (a bulk string). */
    private static int infoExchange(byte[] request, OutputStream out, DataInputStream in) throws IOException {
        out.write(request);
        out.flush();
        StringBuilder header = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            header.append((char) c);
        }
        assertThat(header.charAt(0)).isEqualTo('$');
        int len = Integer.parseInt(header.substring(1).trim());
        byte[] body = new byte[len + 2];
        in.readFully(body);
        assertThat(new String(body, StandardCharsets.US_ASCII)).startsWith("# Persistence\r\nloading:0\r\n");
        return len + header.length() + 3;
    }

    private void startServer(Path dir, String transport) throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED); // as Main runs the server
        server = new CowKvServer(ConfigLoader.load(new String[]{"--port", "0", "--bind", "127.0.0.1",
                "--save", "", "--loglevel", "warning", "--dir", dir.toString(), "--io-transport", transport,
                // the server runs inside the test JVM: leave its compiler threads as they are
                "--jit-sched-idle", "no"}));
        server.start();
    }

    private static long eventLoopThreadId() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("cowkv-main")).findFirst().orElseThrow().getId();
    }

    private long heapBytesPerCommand(Path dir, String transport) throws Exception {
        startServer(dir, transport);
        long loop = eventLoopThreadId();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String value = "v".repeat(100);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[][] requests = new byte[2000][];
            for (int i = 0; i < requests.length; i += 2) {
                String key = "key:" + (i % 500 + 1000);
                requests[i] = resp("SET", key, value);
                requests[i + 1] = resp("GET", key);
            }
            byte[] setReply = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] getReply = ("$100\r\n" + value + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int round = 0; round < 15; round++) { // warm-up: JIT, pools, arena slabs
                exchange(requests, out, in, setReply, getReply);
            }
            long before = mx.getThreadAllocatedBytes(loop);
            int rounds = 10;
            for (int round = 0; round < rounds; round++) {
                exchange(requests, out, in, setReply, getReply);
            }
            return (mx.getThreadAllocatedBytes(loop) - before) / ((long) rounds * requests.length);
        }
    }

    /** Sends every request one at a time (no pipelining: one read and one flush each) and checks each reply. */
    private static void exchange(byte[][] requests, OutputStream out, DataInputStream in, byte[] setReply,
                                 byte[] getReply) throws IOException {
        for (int i = 0; i < requests.length; i++) {
            out.write(requests[i]);
            out.flush();
            byte[] expected = i % 2 == 0 ? setReply : getReply;
            byte[] got = new byte[expected.length];
            in.readFully(got);
            assertThat(got).isEqualTo(expected);
        }
    }

    private static byte[] resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
