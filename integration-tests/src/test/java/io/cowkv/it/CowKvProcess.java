package io.cowkv.it;

import java.io.IOException;
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
    private final List<String> jvmOptions = new ArrayList<>();

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

    /** Adds JVM options (before {@code -jar}) for the next start; returns this. */
    public CowKvProcess jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /**
     * CowKV with Netty's leak detector at its most thorough level (every buffer tracked), for
     * tests that end with {@link #assertNoBufferLeaks()}.
     */
    public static CowKvProcess withLeakDetection(String... extraArgs) {
        return new CowKvProcess(extraArgs).jvmOptions("-Dio.netty.leakDetection.level=paranoid");
    }

    /**
     * Fails if Netty reported a leaked buffer. A leak is reported when its buffer has been
     * collected and a later allocation is tracked, so this makes the server collect its heap
     * ({@code jcmd <pid> GC.run}), sends it some traffic, and then reads its output for
     * {@code LEAK:}. Needs the process started with {@link #withLeakDetection}.
     */
    public void assertNoBufferLeaks() throws IOException, InterruptedException {
        Path jcmd = Path.of(java()).resolveSibling("jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                .redirectErrorStream(true).start();
        String gcOut = new String(gc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!gc.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed: " + gcOut);
        }
        try (RespConnection c = new RespConnection(this)) {
            for (int i = 0; i < 200; i++) {
                c.call("ECHO", "x".repeat(i * 50));
            }
        }
        Thread.sleep(200); // the detector logs through slf4j on stderr, which output() collects
        org.assertj.core.api.Assertions.assertThat(output()).as("Netty leak reports in CowKV's output").doesNotContain("LEAK:");
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
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString(),
                "--port", Integer.toString(port), "--bind", HOST, "--dir", dir.toString(), "--save", ""));
        cmd.addAll(extraArgs);
        return cmd;
    }
}
