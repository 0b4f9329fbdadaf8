package io.cowkv.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged CowKV server jar ({@code -Dcowkv.server.jar}, set by this module's surefire
 * configuration) started with the same {@code java} as the test JVM, redis-server-style flags,
 * saving disabled. The jar's manifest carries the JVM flags it needs.
 */
public final class CowKvProcess extends ServerProcess {
    private final List<String> extraArgs;

    public CowKvProcess() {
        this(new String[0]);
    }

    /** With more flags after the defaults, e.g. {@code "--metrics-port", "9121"}. */
    public CowKvProcess(String... extraArgs) {
        super("cowkv");
        this.extraArgs = List.of(extraArgs);
    }

    /** Starts a fresh server; the caller closes it. */
    public static CowKvProcess started() throws Exception {
        CowKvProcess p = new CowKvProcess();
        p.start();
        return p;
    }

    static Path jar() {
        String jar = System.getProperty("cowkv.server.jar");
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("system property cowkv.server.jar is not set (run through Maven)");
        }
        Path p = Path.of(jar).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("CowKV server jar not found at " + p + " (package the server module first)");
        }
        return p;
    }

    static String java() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    @Override
    protected List<String> command(int port, Path dir) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString(),
                "--port", Integer.toString(port), "--bind", HOST, "--dir", dir.toString(), "--save", ""));
        cmd.addAll(extraArgs);
        return cmd;
    }
}
