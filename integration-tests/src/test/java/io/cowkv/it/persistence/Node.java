package io.cowkv.it.persistence;

import io.cowkv.it.RespConnection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A CowKV (packaged jar) or redis-server process on a free loopback port whose dump folder is
 * chosen by the test and survives the process, so it can be stopped, killed and restarted on the
 * same files. Every wait is bounded; {@link #close} always ends the process (SHUTDOWN NOSAVE, then
 * SIGTERM, then SIGKILL) and leaves the folder to the test's {@code @TempDir}.
 */
final class Node implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private final List<String> command;
    private final String name;
    private final Path dir;
    private final StringBuffer output = new StringBuffer();
    private Process process;
    private Thread pump;
    private int port;

    private Node(String name, Path dir, List<String> command) {
        this.name = name;
        this.dir = dir;
        this.command = command;
    }

    /** CowKV on {@code dir} with extra redis-server-style flags (e.g. "--save", "3600 1"). */
    static Node cowkv(Path dir, String... flags) {
        return cowkv(dir, List.of(), flags);
    }

    /** As {@link #cowkv(Path, String...)} with JVM options after the default ones (e.g. "-Xmx64m"). */
    static Node cowkv(Path dir, List<String> jvmOptions, String... flags) {
        String jar = System.getProperty("cowkv.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("cowkv.server.jar not set or missing: " + jar + " (run through Maven)");
        }
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar, "--bind", HOST, "--dir", dir.toString()));
        cmd.addAll(List.of(flags));
        return new Node("cowkv", dir, cmd);
    }

    /** A sequence of commands whose results are compared between CowKV and Redis. */
    interface Script {
        List<String> run(Node n) throws Exception;
    }

    /**
     * Runs {@code script} on a fresh CowKV in {@code cowDir} and on a fresh redis-server in
     * {@code redisDir}, both started with {@code flags}, asserts that both give the same results
     * and returns CowKV's. Skips the test when redis-server is not installed.
     */
    static List<String> sameOnBoth(Path cowDir, Path redisDir, Script script, String... flags) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PointInTimeTest.onPath("redis-server"),
                "redis-server is not on the PATH");
        List<String> cow;
        List<String> red;
        try (Node n = cowkv(cowDir, flags).start()) {
            cow = script.run(n);
        }
        try (Node n = redis(redisDir, flags).start()) {
            red = script.run(n);
        }
        org.assertj.core.api.Assertions.assertThat(cow).containsExactlyElementsOf(red);
        return cow;
    }

    /** A real redis-server on {@code dir} (no AOF), with extra flags. */
    static Node redis(Path dir, String... flags) {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--bind", HOST, "--dir", dir.toString(),
                "--appendonly", "no", "--daemonize", "no", "--logfile", ""));
        cmd.addAll(List.of(flags));
        return new Node("redis", dir, cmd);
    }

    /** Starts the process and waits (at most 30 s) until it answers PING. */
    Node start() throws Exception {
        output.setLength(0);
        port = freePort();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--port", Integer.toString(port)));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile()).start();
        Process p = process;
        pump = new Thread(() -> pump(p.getInputStream()), name + "-out-" + port);
        pump.setDaemon(true);
        pump.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                p.waitFor(2, TimeUnit.SECONDS);
                throw new IllegalStateException(name + " exited with " + p.exitValue() + " before answering PING:\n" + output);
            }
            try (RespConnection c = new RespConnection(HOST, port, 1000)) {
                if (c.callString("PING").equals("+PONG\r\n")) {
                    return this;
                }
            } catch (IOException ignored) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " did not answer PING within 30 s:\n" + output);
    }

    /** Starts a process that is expected to stop by itself; returns its exit code (bounded wait). */
    int runToExit(long seconds) throws Exception {
        port = freePort();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--port", Integer.toString(port)));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile()).start();
        Process p = process;
        pump = new Thread(() -> pump(p.getInputStream()));
        pump.setDaemon(true);
        pump.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " still running after " + seconds + " s:\n" + output);
        }
        pump.join(2000);
        return p.exitValue();
    }

    private void pump(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (output.length() < 256 * 1024) {
                    output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    String output() {
        return output.toString();
    }

    /**
     * The output once it contains every needle (the process's output is read by another thread, so
     * a line logged just before a reply may not have arrived yet), or after 10 s, whichever first.
     */
    String awaitOutput(String... needles) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String out = output();
            if (java.util.Arrays.stream(needles).allMatch(out::contains)) {
                return out;
            }
            Thread.sleep(20);
        }
        return output();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Jedis jedis() {
        return new Jedis(new HostAndPort(HOST, port), DefaultJedisClientConfig.builder().protocol(redis.clients.jedis.RedisProtocol.RESP2).timeoutMillis(30_000).build());
    }

    RespConnection raw() throws IOException {
        return new RespConnection(HOST, port, 30_000);
    }

    /** SIGKILL, as {@code kill -9}. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
    }

    /** Sends signal {@code name} (e.g. {@code TERM}) and returns at once. */
    void signal(String name) throws Exception {
        // Not Process.destroy(): it also closes our end of the output pipe, losing the shutdown log.
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM and wait for the exit (bounded); returns the exit code. */
    int sigterm(long seconds) throws Exception {
        signal("TERM");
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not exit within " + seconds + " s of SIGTERM:\n" + output);
        }
        pump.join(5000);
        return process.exitValue();
    }

    /** Waits for the process to end by itself (after SHUTDOWN); returns the exit code. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not exit within " + seconds + " s:\n" + output);
        }
        pump.join(5000);
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try (RespConnection c = new RespConnection(HOST, port, 2000)) {
            c.write(io.cowkv.it.Resp.encode("SHUTDOWN", "NOSAVE"));
            c.drain(2000);
        } catch (IOException ignored) {
            // fall through
        }
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Polls {@code condition} every 20 ms for at most {@code seconds}; fails with {@code what}. */
    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** One field of INFO (any section). */
    static String info(Jedis j, String field) {
        for (String line : j.info("everything").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("INFO has no field " + field);
    }

    static void awaitBgsaveDone(Jedis j) throws InterruptedException {
        await("the background save to end", 120, () -> info(j, "rdb_bgsave_in_progress").equals("0"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(HOST, 0));
            return s.getLocalPort();
        }
    }
}
