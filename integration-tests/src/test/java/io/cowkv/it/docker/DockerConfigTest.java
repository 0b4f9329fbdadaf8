package io.cowkv.it.docker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Testcontainers;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.cowkv.it.docker.DockerImageTest.jedis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuring the image: a mounted config file (at the default path or named as the first
 * argument), flags overriding it, the container defaults (dir /data...) filling only what is
 * not set, JAVA_OPTS, and the server's informational flags through the entry point.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DockerConfigTest {
    private static final String[] PROBE = {"java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xmx32m", "-cp", "/opt/cowkv/cowkv-server.jar", "io.cowkv.server.bootstrap.HealthCheck"};

    @TempDir
    Path tmp;

    private final List<CowKvContainer> containers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        containers.forEach(CowKvContainer::stop);
    }

    private Path confFile(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        f.toFile().setReadable(true, false); // the container's user is not the file's owner
        tmp.toFile().setExecutable(true, false);
        return f;
    }

    @Test
    void configFileMountedAtTheDefaultPathIsUsedWithoutArguments() throws Exception {
        int port = CowKvImage.freePort();
        Path conf = confFile("cowkv.conf", "# mounted by the test\nport " + port + "\nbind 127.0.0.1\n"
                + "databases 4\nmetrics-port 0\nsave \"\"\n");
        CowKvContainer c = CowKvContainer.withExactArgs(port)
                .withReadOnlyFile(conf, "/etc/cowkv/cowkv.conf")
                .withEnv("JAVA_OPTS", "-Xmx128m");
        containers.add(c);
        c.start();
        try (Jedis j = jedis(port)) {
            assertThat(j.configGet("databases")).containsEntry("databases", "4");
            assertThat(j.configGet("bind")).containsEntry("bind", "127.0.0.1");
            assertThat(j.configGet("dir")).containsEntry("dir", "/data"); // container default, not in the file
        }
        String cmdline = c.execInContainer("cat", "/proc/1/cmdline").getStdout().replace('\0', ' ');
        assertThat(cmdline).contains("-Xmx128m -jar /opt/cowkv/cowkv-server.jar /etc/cowkv/cowkv.conf");
        assertThat(cmdline).doesNotContain("--bind").doesNotContain("--metrics-port");

        // The health probe reads the port from the server's config file, as the server did.
        ExecResult probe = c.execInContainer(PROBE);
        assertThat(probe.getExitCode()).as(probe.toString()).isZero();
        assertThat(probe.getStdout()).contains("127.0.0.1:" + port + " +PONG");
    }

    @Test
    void flagsOverrideTheConfigFileAndTheFileOverridesContainerDefaults() throws Exception {
        int filePort = CowKvImage.freePort();
        int flagPort = CowKvImage.freePort();
        Path conf = confFile("custom.conf", "port " + filePort + "\nbind 127.0.0.1\ndir /tmp\nmaxclients 50\n"
                + "metrics-port 0\nsave \"\"\n");
        CowKvContainer c = CowKvContainer.withExactArgs(flagPort, "/etc/cowkv/custom.conf", "--port",
                        Integer.toString(flagPort), "--maxclients", "60")
                .withReadOnlyFile(conf, "/etc/cowkv/custom.conf");
        containers.add(c);
        c.start();
        try (Jedis j = jedis(flagPort)) {
            assertThat(j.configGet("port")).containsEntry("port", Integer.toString(flagPort));
            assertThat(j.configGet("maxclients")).containsEntry("maxclients", "60");
            assertThat(j.configGet("dir")).containsEntry("dir", "/tmp");
        }
        ExecResult probe = c.execInContainer(PROBE);
        assertThat(probe.getStdout()).contains("127.0.0.1:" + flagPort + " +PONG");
    }

    @Test
    void entryPointPassesVersionThroughAndRunsOtherCommands() throws Exception {
        int port = CowKvImage.freePort();
        CowKvContainer c = CowKvContainer.withExactArgs(port, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--metrics-port", "0", "--save", "");
        containers.add(c);
        c.start();
        ExecResult version = c.execInContainer("cowkv-entrypoint", "--version");
        assertThat(version.getExitCode()).as(version.toString()).isZero();
        assertThat(version.getStdout()).startsWith("CowKV server v=");
        ExecResult other = c.execInContainer("cowkv-entrypoint", "echo", "a command");
        assertThat(other.getStdout()).isEqualTo("a command\n");
    }
}
