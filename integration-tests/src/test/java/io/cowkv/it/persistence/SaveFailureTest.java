package io.cowkv.it.persistence;

import io.cowkv.it.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A save that cannot be written: rdb_last_bgsave_status:err, MISCONF on writes (and PING), the temp
 * file deleted; once the cause is gone a successful save lifts MISCONF.
 *
 * <p>How the folder is made "unwritable": the tests run as root, where permission bits do not stop
 * writes, and CONFIG SET dir/dbfilename is refused (protected config, as Redis 7). So, after
 * start-up, a directory is created at the dump's own path ({@code dir/dump.rdb}): the temp file
 * is written, but the final rename(2) onto a directory fails with EISDIR, which exercises the
 * worst case (a complete temp file that must be deleted). A second case replaces the whole
 * {@code dir} by a plain file, so even creating the temp file fails (ENOTDIR). Both are reliable
 * for any user and filesystem, and the same trick gives Redis 7.0 the same error (checked by hand).
 */
class SaveFailureTest {
    static final String MISCONF = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
            + "persist to disk. Commands that may modify the data set are disabled, because this instance is configured "
            + "to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). "
            + "Please check the Redis logs for details about the RDB error.\r\n";

    @TempDir
    Path tmp;

    private static long temps(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("temp-")).count();
        }
    }

    @Test
    void aRenameThatFailsGivesErrMisconfAndCleansUp() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("data"));
        try (Node n = Node.cowkv(dir, "--save", "3600 1").start(); Jedis j = n.jedis();
             RespConnection raw = n.raw()) {
            assertThat(raw.callString("SET", "a", "1")).isEqualTo("+OK\r\n");
            Files.createDirectory(dir.resolve("dump.rdb"));

            // SAVE fails with a bare -ERR and does not change the status (Redis 7.0)
            assertThat(raw.callString("SAVE")).isEqualTo("-ERR\r\n");
            assertThat(Node.info(j, "rdb_last_bgsave_status")).isEqualTo("ok");

            assertThat(raw.callString("BGSAVE")).isEqualTo("+Background saving started\r\n");
            Node.awaitBgsaveDone(j);
            assertThat(Node.info(j, "rdb_last_bgsave_status")).isEqualTo("err");
            assertThat(temps(dir)).isZero();
            assertThat(n.awaitOutput("Error moving temp DB file", "Is a directory", "Background saving error"))
                    .contains("Error moving temp DB file", "Is a directory", "Background saving error");

            assertThat(raw.callString("SET", "b", "1")).isEqualTo(MISCONF);
            assertThat(raw.callString("PING")).isEqualTo(MISCONF);
            assertThat(raw.callString("GET", "a")).isEqualTo("$1\r\n1\r\n");
            assertThat(raw.callString("SHUTDOWN")).isEqualTo("-ERR Errors trying to SHUTDOWN. Check logs.\r\n");
            assertThat(n.isAlive()).isTrue();
            // the switches that lift MISCONF without a save, as in Redis
            assertThat(raw.callString("CONFIG", "SET", "stop-writes-on-bgsave-error", "no")).isEqualTo("+OK\r\n");
            assertThat(raw.callString("SET", "b", "1")).isEqualTo("+OK\r\n");
            assertThat(raw.callString("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes")).isEqualTo("+OK\r\n");
            assertThat(raw.callString("SET", "b", "1")).isEqualTo(MISCONF);

            // fix the cause: a successful save clears MISCONF
            Files.delete(dir.resolve("dump.rdb"));
            assertThat(raw.callString("BGSAVE")).isEqualTo("+Background saving started\r\n");
            Node.awaitBgsaveDone(j);
            assertThat(Node.info(j, "rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(raw.callString("SET", "c", "1")).isEqualTo("+OK\r\n");
            assertThat(DumpContent.read(dir.resolve("dump.rdb"))).containsOnlyKeys("0:a", "0:b");
        }
    }

    @Test
    void aFolderThatIsGoneFailsBeforeWritingAndSaveClearsMisconf() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("data"));
        Path moved = tmp.resolve("moved");
        try (Node n = Node.cowkv(dir, "--save", "3600 1").start(); Jedis j = n.jedis();
             RespConnection raw = n.raw()) {
            raw.callString("SET", "a", "1");
            Files.move(dir, moved);
            Files.writeString(dir, "not a directory");
            assertThat(raw.callString("BGSAVE")).isEqualTo("+Background saving started\r\n");
            Node.awaitBgsaveDone(j);
            assertThat(Node.info(j, "rdb_last_bgsave_status")).isEqualTo("err");
            assertThat(n.awaitOutput("Failed opening the temp RDB file")).contains("Failed opening the temp RDB file");
            assertThat(raw.callString("SET", "b", "1")).isEqualTo(MISCONF);
            assertThat(temps(moved)).isZero();

            Files.delete(dir);
            Files.move(moved, dir);
            assertThat(raw.callString("SAVE")).isEqualTo("+OK\r\n");
            assertThat(Node.info(j, "rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(raw.callString("SET", "b", "1")).isEqualTo("+OK\r\n");
        }
    }
}
