package io.cowkv.it.docker;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker/entrypoint.sh} without Docker: run by {@code sh} with a stand-in {@code java}
 * on the PATH that prints the arguments it was exec'ed with, one per line. Checks which
 * container defaults are added (only those not set by flags or the config file), where the
 * config file goes, the small initial heap and JAVA_OPTS after it, and pass-through of other commands.
 */
class EntrypointScriptTest {
    @TempDir
    Path tmp;

    private Path bin;
    private Path defaultConf;

    @BeforeEach
    void fakeJava() throws IOException {
        bin = Files.createDirectory(tmp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        defaultConf = tmp.resolve("default.conf"); // absent unless a test writes it
    }

    /** The entry point's exec'ed command line, one argument per list element. */
    private List<String> run(Map<String, String> env, String... args) throws Exception {
        Path script = CowKvImage.repoRoot().resolve("docker/entrypoint.sh");
        List<String> cmd = new ArrayList<>(List.of("sh", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("COWKV_JAR", "/opt/cowkv/cowkv-server.jar");
        pb.environment().put("COWKV_DEFAULT_CONF", defaultConf.toString());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            return out.lines().toList();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void noArgumentsGetsTheContainerDefaults() throws Exception {
        assertThat(run(Map.of())).containsExactly("-Xms32m", "-jar", "/opt/cowkv/cowkv-server.jar",
                "--dir", "/data", "--bind", "0.0.0.0", "--metrics-port", "9121", "--metrics-bind", "0.0.0.0");
    }

    @Test
    void flagsReplaceTheDefaultsTheyNameAndComeLast() throws Exception {
        assertThat(run(Map.of(), "--port", "7000", "--bind", "127.0.0.1", "--save", "")).containsExactly(
                "-Xms32m", "-jar", "/opt/cowkv/cowkv-server.jar", "--dir", "/data", "--metrics-port", "9121",
                "--metrics-bind", "0.0.0.0", "--port", "7000", "--bind", "127.0.0.1", "--save", "");
    }

    @Test
    void configFileFirstAndItsDirectivesWinOverDefaults() throws Exception {
        Path conf = tmp.resolve("my.conf");
        Files.writeString(conf, "# comment\n  DIR /srv/cowkv\nmetrics-port 0\nbind 127.0.0.1\n");
        assertThat(run(Map.of(), conf.toString(), "--loglevel", "verbose")).containsExactly(
                "-Xms32m", "-jar", "/opt/cowkv/cowkv-server.jar", conf.toString(), "--metrics-bind", "0.0.0.0",
                "--loglevel", "verbose");
    }

    @Test
    void theDefaultConfigPathIsUsedWhenPresent() throws Exception {
        Files.writeString(defaultConf, "port 7001\n");
        assertThat(run(Map.of("JAVA_OPTS", "-Xmx64m -XX:+UseSerialGC"))).containsExactly(
                "-Xms32m", "-Xmx64m", "-XX:+UseSerialGC", "-jar", "/opt/cowkv/cowkv-server.jar", defaultConf.toString(),
                "--dir", "/data", "--bind", "0.0.0.0", "--metrics-port", "9121", "--metrics-bind", "0.0.0.0");
    }

    @Test
    void versionAloneAndOtherCommands() throws Exception {
        assertThat(run(Map.of(), "--version")).containsExactly("-jar", "/opt/cowkv/cowkv-server.jar", "--version");
        assertThat(run(Map.of(), "echo", "hello")).containsExactly("hello");
    }
}
