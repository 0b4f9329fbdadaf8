package io.cowkv.it.client;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CowKV (the packaged jar, {@code -Dcowkv.server.jar}) or a real {@code redis-server} as a child
 * process on 127.0.0.1 that keeps its port across {@link #kill()} and {@link #restart()}, which
 * the shared {@code ServerProcess} harness does not (it picks a new port on every start). Used for
 * the reconnect tests and wherever a test needs the process itself.
 *
 * <p>Contract: {@link #start}/{@link #restart} return once the server answers PING (bounded wait,
 * output in the exception); {@link #kill()} is SIGKILL and waits for the exit; {@link #close()}
 * kills the process if it still runs and deletes the working folder. Saving is disabled; the
 * folder is the server's {@code dir}, so a BGSAVE writes {@code dump.rdb} there.
 */
final class FixedPortServer implements AutoCloseable {
    enum Kind { COWKV, REDIS }

    static final String HOST = "127.0.0.1";

    private final Kind kind;
    private final int port;
    private final Path dir;
    private Process process;

    private FixedPortServer(Kind kind, int port, Path dir) {
        this.kind = kind;
        this.port = port;
        this.dir = dir;
    }

    /** Skips the calling test when the server kind is not available here. */
    static void assumeAvailable(Kind kind) {
        if (kind == Kind.REDIS) {
            Assumptions.assumeTrue(onPath("redis-server"), "redis-server is not on the PATH");
        }
    }

    static FixedPortServer start(Kind kind) throws IOException, InterruptedException {
        assumeAvailable(kind);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            FixedPortServer s = new FixedPortServer(kind, freePort(), Files.createTempDirectory("cowkv-it-client-" + kind.name().toLowerCase() + "-"));
            try {
                s.launch();
                return s;
            } catch (IOException e) {
                last = e;
                s.close();
            }
        }
        throw last;
    }

    Kind kind() {
        return kind;
    }

    String label() {
        return kind.name().toLowerCase();
    }

    int port() {
        return port;
    }

    String address() {
        return HOST + ":" + port;
    }

    Path dir() {
        return dir;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the server again on the same port (retrying while the port is still being released). */
    void restart() throws IOException, InterruptedException {
        kill();
        IOException last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                launch();
                return;
            } catch (IOException e) {
                last = e;
                kill();
                Thread.sleep(200);
            }
        }
        throw last;
    }

    private List<String> command() {
        if (kind == Kind.REDIS) {
            return List.of("redis-server", "--port", Integer.toString(port), "--bind", HOST, "--save", "",
                    "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--logfile", "");
        }
        String jar = System.getProperty("cowkv.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("CowKV server jar not found (system property cowkv.server.jar = " + jar
                    + "): package the server module first");
        }
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "-Xmx256m", "-jar", Path.of(jar).toAbsolutePath().normalize().toString(),
                "--port", Integer.toString(port), "--bind", HOST, "--dir", dir.toString(), "--save", "");
    }

    private Path log() {
        return dir.resolve("server.log");
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(command()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(label() + " exited with code " + process.exitValue() + " on port " + port + ":\n" + output());
            }
            if (ping()) {
                return;
            }
            Thread.sleep(50);
        }
        kill();
        throw new IOException(label() + " did not answer PING on port " + port + ":\n" + output());
    }

    /** What the server printed so far (all starts). */
    String output() {
        try {
            String s = Files.readString(log(), StandardCharsets.UTF_8);
            return s.length() > 16_000 ? s.substring(s.length() - 16_000) : s;
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            s.setSoTimeout(1000);
            s.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] expected = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
            return Arrays.equals(expected, s.getInputStream().readNBytes(expected.length));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
        process = null;
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>();
            walk.forEach(paths::add);
            paths.sort(Comparator.reverseOrder());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temp folder: best effort
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(HOST, 0));
            return s.getLocalPort();
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return label() + "@" + address();
    }
}
