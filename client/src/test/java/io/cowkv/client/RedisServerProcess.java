package io.cowkv.client;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real redis-server on 127.0.0.1 and a free port, started by a test as a child process. */
public final class RedisServerProcess implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;

    private RedisServerProcess(int port, Path dir, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    /** Starts redis-server, or skips the test (assumption) when it is not installed. */
    public static RedisServerProcess start(String... extraArgs) throws IOException, InterruptedException {
        assumeTrue(redisServerPath() != null,
                "redis-server is not on PATH: install the Debian package 'redis-server' to run the client tests against a real Redis");
        RedisServerProcess p = new RedisServerProcess(freePort(), Files.createTempDirectory("cowkv-client-redis"), List.of(extraArgs));
        p.launch();
        return p;
    }

    public static String redisServerPath() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(d, "redis-server");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** (Re)starts the server on the same port. */
    public void launch() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(redisServerPath(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--loglevel", "warning"));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                s.getOutputStream().write("PING\r\n".getBytes());
                byte[] buf = new byte[7];
                int n = s.getInputStream().read(buf);
                if (n > 0 && buf[0] == '+') return;
            } catch (IOException e) {
                // not up yet
            }
            if (!process.isAlive()) throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            Thread.sleep(20);
        }
        throw new IOException("redis-server did not start on port " + port);
    }

    /** SIGKILL: the server disappears without closing connections gracefully. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public ClientOptions.Builder options() {
        return ClientOptions.builder().host("127.0.0.1").port(port);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) kill();
    }
}
