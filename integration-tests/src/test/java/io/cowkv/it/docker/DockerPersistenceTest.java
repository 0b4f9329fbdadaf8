package io.cowkv.it.docker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Testcontainers;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.cowkv.it.docker.DockerImageTest.jedis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping and restarting the image: {@code docker stop} (SIGTERM) ends the server cleanly, and
 * what was written comes back in a new container on the same named volume (what an upgrade
 * does): with save points, SIGTERM saves before exiting, as Redis does; BGSAVE writes the
 * snapshot to the volume as the container's user.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DockerPersistenceTest {
    /** SIGTERM's conventional exit status for a JVM (128 + 15); SIGKILL after the timeout would be 137. */
    private static final long SIGTERM_EXIT = 143;

    private final List<CowKvContainer> containers = new ArrayList<>();
    private String volume;

    private CowKvContainer start(String volume, String... args) throws Exception {
        CowKvContainer c = CowKvContainer.create(volume, args);
        containers.add(c);
        c.start();
        return c;
    }

    @AfterEach
    void cleanUp() {
        for (CowKvContainer c : containers) {
            c.stop();
        }
        if (volume != null) {
            try {
                DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
            } catch (RuntimeException e) {
                System.err.println("could not remove volume " + volume + ": " + e);
            }
        }
    }

    private String newVolume() {
        volume = "cowkv-it-" + UUID.randomUUID().toString().substring(0, 8);
        return volume;
    }

    @Test
    void dockerStopEndsTheServerCleanlyWithSigterm() throws Exception {
        CowKvContainer c = start(null, "--save", "");
        long exit = c.dockerStop(30);
        assertThat(exit).as("exit code after docker stop (137 would mean SIGKILL after the timeout)")
                .isIn(0L, SIGTERM_EXIT);
        assertThat(c.getLogs()).contains("Received SIGTERM", "ready to exit")
                .doesNotContain("Saving the final RDB snapshot"); // no save points, nothing to save
    }

    @Test
    void dataWrittenComesBackAfterDockerStopInANewContainerOnTheSameVolume() throws Exception {
        String vol = newVolume();
        // A save point, so shutdown on SIGTERM saves (as Redis does); no explicit SAVE of the data.
        CowKvContainer first = start(vol, "--save", "3600 1");
        try (Jedis j = jedis(first.port())) {
            for (int i = 0; i < 100; i++) {
                j.set("key:" + i, "value:" + i);
            }
            j.set("with-ttl", "v");
            j.expire("with-ttl", 3600);
        }
        long exit = first.dockerStop(30);
        assertThat(exit).isIn(0L, SIGTERM_EXIT);
        assertThat(first.getLogs()).contains("Received SIGTERM", "Saving the final RDB snapshot before exiting.",
                "DB saved on disk", "ready to exit");

        CowKvContainer second = start(vol, "--save", "3600 1");
        assertThat(second.getLogs()).contains("Done loading RDB, keys loaded: 101", "DB loaded from disk");
        try (Jedis j = jedis(second.port())) {
            assertThat(j.dbSize()).isEqualTo(101);
            assertThat(j.get("key:0")).isEqualTo("value:0");
            assertThat(j.get("key:99")).isEqualTo("value:99");
            assertThat(j.ttl("with-ttl")).isBetween(1L, 3600L);
        }
    }

    @Test
    void bgsaveInsideTheContainerWritesToTheVolume() throws Exception {
        String vol = newVolume();
        CowKvContainer c = start(vol, "--save", "");
        try (Jedis j = jedis(c.port())) {
            j.set("bg", "saved");
            assertThat(j.bgsave()).isIn("Background saving started", "OK");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String info = j.info("persistence");
            while (info.contains("rdb_bgsave_in_progress:1") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                info = j.info("persistence");
            }
            assertThat(info).contains("rdb_bgsave_in_progress:0", "rdb_last_bgsave_status:ok");
        }
        ExecResult ls = c.execInContainer("stat", "-c", "%U %s", "/data/dump.rdb");
        assertThat(ls.getExitCode()).as(ls.toString()).isZero();
        String[] ownerAndSize = ls.getStdout().trim().split(" ");
        assertThat(ownerAndSize[0]).isEqualTo("cowkv");
        assertThat(Long.parseLong(ownerAndSize[1])).isPositive();

        // The file on the volume is what a new container loads (no save points: no shutdown save).
        assertThat(c.dockerStop(30)).isIn(0L, SIGTERM_EXIT);
        assertThat(c.getLogs()).contains("Background saving terminated with success")
                .doesNotContain("Saving the final RDB snapshot before exiting.");
        CowKvContainer next = start(vol, "--save", "");
        try (Jedis j = jedis(next.port())) {
            assertThat(j.get("bg")).isEqualTo("saved");
        }
    }
}
