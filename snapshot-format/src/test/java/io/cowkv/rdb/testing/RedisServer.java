package io.cowkv.rdb.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Starts a real redis-server on a free loopback port in a temp dir, for golden tests. */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Whether an executable of that name is on the PATH. */
    public static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, exe);
            if (f.isFile() && f.canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Starts redis-server with {@code --dir dir --dbfilename dbfilename} and the extra arguments. */
    public static RedisServer start(Path dir, String dbfilename, String... extra) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--dir", dir.toString(), "--dbfilename", dbfilename, "--save", "",
                    "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no",
                    "--logfile", dir.resolve("redis-" + port + ".log").toString()));
            cmd.addAll(List.of(extra));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis-" + port + ".out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try (Resp r = new Resp(port)) {
                    Object pong = r.call("PING");
                    if ("PONG".equals(pong)) {
                        return new RedisServer(p, port, dir);
                    }
                    // LOADING: retry
                } catch (IOException e) {
                    last = e;
                }
                Thread.sleep(50);
            }
            p.destroyForcibly();
            String log = Files.exists(dir.resolve("redis-" + port + ".log"))
                    ? Files.readString(dir.resolve("redis-" + port + ".log")) : "";
            last = new IOException("redis-server did not start on port " + port + ": " + log);
            if (log.contains("Address already in use") || log.isEmpty()) {
                continue;
            }
            throw last;
        }
        throw last;
    }

    private static int freePort() throws IOException {
        for (int i = 0; i < 200; i++) {
            int port = 20000 + ThreadLocalRandom.current().nextInt(10000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                s.setReuseAddress(true);
                return port;
            } catch (IOException e) {
                // taken, try another
            }
        }
        throw new IOException("no free port in 20000-29999");
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public Resp client() throws IOException {
        return new Resp(port);
    }

    /** Server log (for assertion messages). */
    public String log() throws IOException {
        Path p = dir.resolve("redis-" + port + ".log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            try (Resp r = client()) {
                r.send("SHUTDOWN", "NOSAVE");
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
