package io.cowkv.it.docker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Testcontainers;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image as a user runs it, against one container (host networking, 127.0.0.1 only):
 * clients, the user and folder it runs with, its HEALTHCHECK, its metrics endpoint.
 * Restarts and persistence: {@link DockerPersistenceTest}; configuration: {@link DockerConfigTest}.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DockerImageTest {
    private CowKvContainer server;

    @BeforeAll
    void start() throws IOException {
        server = CowKvContainer.started(null);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static Jedis jedis(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().timeoutMillis(10_000).build());
    }

    /** redis-cli -p port args... (stdin empty, 20 s at most); returns stdout+stderr, asserts exit 0. */
    static String redisCli(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("redis-cli finished within 20 s").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("redis-cli exit code; output: " + out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void answersJedis() {
        try (Jedis j = jedis(server.port())) {
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(j.set("docker:jedis", "value")).isEqualTo("OK");
            assertThat(j.get("docker:jedis")).isEqualTo("value");
            assertThat(j.info("server")).contains("redis_version:", "tcp_port:" + server.port());
            assertThat(j.del("docker:jedis")).isEqualTo(1);
        }
    }

    @Test
    void answersRedisCli() throws Exception {
        Assumptions.assumeTrue(CowKvImage.onPath("redis-cli"), "redis-cli is not on the PATH (Debian package redis-tools)");
        assertThat(redisCli(server.port(), "PING")).isEqualTo("PONG\n");
        assertThat(redisCli(server.port(), "SET", "docker:cli", "hello world")).isEqualTo("OK\n");
        assertThat(redisCli(server.port(), "GET", "docker:cli")).isEqualTo("hello world\n");
        assertThat(redisCli(server.port(), "DEL", "docker:cli")).isEqualTo("1\n");
    }

    @Test
    void runsAsNonRootWithDataAsItsFolder() throws Exception {
        ExecResult id = server.execInContainer("id", "-u");
        assertThat(id.getStdout().trim()).isEqualTo("10001");
        ExecResult owner = server.execInContainer("stat", "-c", "%U", "/data");
        assertThat(owner.getStdout().trim()).isEqualTo("cowkv");
        try (Jedis j = jedis(server.port())) {
            assertThat(j.configGet("dir")).containsEntry("dir", "/data");
        }
        // java is PID 1 (exec'ed by the entry point), so docker stop's SIGTERM reaches the server.
        ExecResult pid1 = server.execInContainer("cat", "/proc/1/cmdline");
        assertThat(pid1.getStdout()).startsWith("java\0").contains("-jar\0/opt/cowkv/cowkv-server.jar\0");
    }

    @Test
    void healthcheckTurnsHealthy() throws Exception {
        // The image's own HEALTHCHECK (interval 10 s): wait for Docker to run it and say healthy.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String health = server.health();
        while (!"healthy".equals(health) && System.nanoTime() < deadline) {
            assertThat(health).as("health status").isIn("starting", "healthy");
            Thread.sleep(500);
            health = server.health();
        }
        assertThat(health).isEqualTo("healthy");
    }

    @Test
    void healthProbeFindsThePortAndFailsWhenNothingAnswers() throws Exception {
        String[] probe = {"java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m",
                "-cp", "/opt/cowkv/cowkv-server.jar", "io.cowkv.server.bootstrap.HealthCheck"};
        ExecResult ok = server.execInContainer(probe);
        assertThat(ok.getExitCode()).as(ok.toString()).isZero();
        assertThat(ok.getStdout()).contains("127.0.0.1:" + server.port() + " +PONG");

        int closed = CowKvImage.freePort();
        String[] wrongPort = new String[probe.length + 2];
        System.arraycopy(probe, 0, wrongPort, 0, probe.length);
        wrongPort[probe.length] = "--port";
        wrongPort[probe.length + 1] = Integer.toString(closed);
        ExecResult refused = server.execInContainer(wrongPort);
        assertThat(refused.getExitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.getStdout()).contains("unreachable");
    }

    @Test
    void metricsEndpointReachable() throws Exception {
        try (Jedis j = jedis(server.port())) {
            j.set("docker:metrics", "1"); // at least one command counted
        }
        URL url = new URL("http://127.0.0.1:" + server.metricsPort() + "/metrics");
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        try {
            assertThat(c.getResponseCode()).isEqualTo(200);
            assertThat(c.getContentType()).startsWith("text/plain");
            try (InputStream in = c.getInputStream()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(body).contains("# TYPE", "cowkv_commands_processed", "cowkv_connected_clients");
            }
        } finally {
            c.disconnect();
        }
        assertThat(server.getLogs()).contains("Metrics endpoint listening on 127.0.0.1:" + server.metricsPort() + "/metrics");
    }
}
