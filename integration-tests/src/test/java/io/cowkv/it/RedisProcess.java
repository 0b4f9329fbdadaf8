package io.cowkv.it;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code redis-server} (Debian package, from the PATH) on a free loopback port, no
 * persistence, as the oracle for differential tests. Tests that need it call
 * {@link #assumeAvailable()} first, so they are skipped only where the binary is absent
 * (CI installs it through {@code .ci/run}).
 */
public final class RedisProcess extends ServerProcess {
    private final List<String> extraArgs;

    public RedisProcess() {
        this(new String[0]);
    }

    /** With more flags after the defaults, e.g. {@code "--enable-debug-command", "local"}. */
    public RedisProcess(String... extraArgs) {
        super("redis");
        this.extraArgs = List.of(extraArgs);
    }

    public static boolean available() {
        return onPath("redis-server");
    }

    /** Skips the calling test (JUnit assumption) when redis-server is not installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(available(), "redis-server is not on the PATH");
    }

    /** Starts a fresh redis-server; the caller closes it. */
    public static RedisProcess started() throws Exception {
        RedisProcess p = new RedisProcess();
        p.start();
        return p;
    }

    @Override
    protected List<String> command(int port, Path dir) {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", HOST, "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--logfile", ""));
        cmd.addAll(extraArgs);
        return cmd;
    }
}
