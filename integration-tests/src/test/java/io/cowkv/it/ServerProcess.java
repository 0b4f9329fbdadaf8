package io.cowkv.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Redis-compatible server running as its own OS process on a free (or a given) loopback port,
 * with a temporary working directory. Subclasses say how to build the command line.
 *
 * <p>Contract: {@link #start()} and {@link #start(int)} return only when the server answers
 * {@code PING} with {@code +PONG} (or throw, with the process's output in the message, after a
 * bounded wait); {@link #kill} is SIGKILL and waits for the exit, keeping port and directory, so
 * that {@link #restart} brings the server back on the same port; {@link #close} always stops the
 * process ({@code SHUTDOWN NOSAVE}, then {@code destroy}, then {@code destroyForcibly}, each wait
 * bounded) and removes the directory. Everything stays on 127.0.0.1.
 */
public abstract class ServerProcess implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@link #start(int)} waits for a fixed port to be given up by an earlier process. */
    private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_OUTPUT_CHARS = 64 * 1024;

    private final String name;
    private Process process;
    private int port;
    private Path dir;
    private final StringBuffer output = new StringBuffer();
    private Thread pump;

    protected ServerProcess(String name) {
        this.name = name;
    }

    /** The command line that starts the server on {@code port} with {@code dir} as its folder. */
    protected abstract List<String> command(int port, Path dir);

    public final String name() {
        return name;
    }

    public final int port() {
        return port;
    }

    public final String host() {
        return HOST;
    }

    public final Path dir() {
        return dir;
    }

    /** {@code host:port}, as clients and the server's own messages write it. */
    public final String address() {
        return HOST + ":" + port;
    }

    /** What the process printed so far (stdout and stderr merged, truncated). */
    public final String output() {
        return output.toString();
    }

    /**
     * Starts the process and waits until it answers PING. A port taken by someone else between
     * choosing and binding it is retried with another port (at most 3 attempts).
     */
    public final ServerProcess start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("cowkv-it-" + name + "-");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = freePort();
            try {
                launchAndWait();
                return this;
            } catch (IOException e) {
                last = e;
                stopProcess();
                if (!portInUse()) {
                    break;
                }
            }
        }
        deleteDir();
        throw last;
    }

    /**
     * Starts the process on {@code fixedPort} and waits until it answers PING. The directory of an
     * earlier start is kept (a new one is made on the first start). While the port is still held
     * (by the process this one replaces, say) the start is retried, for at most 20 s; any other
     * failure is thrown at once. The caller closes this server even when the start fails.
     */
    public final ServerProcess start(int fixedPort) throws IOException, InterruptedException {
        if (dir == null) {
            dir = Files.createTempDirectory("cowkv-it-" + name + "-");
        }
        port = fixedPort;
        long deadline = System.nanoTime() + PORT_RELEASE_TIMEOUT.toNanos();
        while (true) {
            try {
                launchAndWait();
                return this;
            } catch (IOException e) {
                stopProcess();
                if (!portInUse() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Kills the process (see {@link #kill}) and starts it again on the same port and directory. */
    public final ServerProcess restart() throws IOException, InterruptedException {
        kill();
        return start(port);
    }

    /** Whether the last launch failed because its port was taken. */
    private boolean portInUse() {
        return output().contains("in use");
    }

    private void launchAndWait() throws IOException, InterruptedException {
        output.setLength(0);
        ProcessBuilder pb = new ProcessBuilder(command(port, dir)).redirectErrorStream(true).directory(dir.toFile());
        process = pb.start();
        Process p = process;
        pump = new Thread(() -> pumpOutput(p.getInputStream()), name + "-output-" + port);
        pump.setDaemon(true);
        pump.start();

        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                pump.join(2000);
                throw new IOException(name + " exited with code " + p.exitValue() + " before answering PING on port "
                        + port + "; output:\n" + output());
            }
            if (pingOnce()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException(name + " did not answer PING on port " + port + " within " + START_TIMEOUT.toSeconds()
                + "s; output:\n" + output());
    }

    private boolean pingOnce() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            s.setSoTimeout(1000);
            s.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] expected = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] got = s.getInputStream().readNBytes(expected.length);
            return java.util.Arrays.equals(expected, got);
        } catch (IOException e) {
            return false;
        }
    }

    private void pumpOutput(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (output.length() < MAX_OUTPUT_CHARS) {
                    output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    /** Whether the process is still running. */
    /** The running process's id. */
    public final long pid() {
        return process.pid();
    }

    public final boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * SIGKILL (no shutdown, no save: the way a crash ends it), then waits for the exit. Port and
     * directory are kept for {@link #restart}. Idempotent.
     */
    public final void kill() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        if (pump != null) {
            pump.join(2000);
        }
        process = null;
    }

    /** Stops the server (see class contract) and deletes its folder. Idempotent. */
    @Override
    public final void close() {
        stopProcess();
        deleteDir();
    }

    private void stopProcess() {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            if (p.isAlive()) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(HOST, port), 1000);
                    s.setSoTimeout(2000);
                    s.getOutputStream().write("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read(); // EOF (or an error reply) once it is going down
                } catch (IOException ignored) {
                    // fall through to destroy
                }
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroy();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        p.waitFor(5, TimeUnit.SECONDS);
                    }
                }
            }
            if (pump != null) {
                pump.join(2000);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    private void deleteDir() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>();
            walk.forEach(paths::add);
            paths.sort(Comparator.reverseOrder());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: it is a temp folder
        }
    }

    /** A loopback port nobody listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(HOST, 0));
            return s.getLocalPort();
        }
    }

    /** Whether {@code program} is an executable file on the PATH. */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name + "@" + HOST + ":" + port;
    }
}
