package io.cowkv.it.persistence;

import io.cowkv.it.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SAVE, BGSAVE, LASTSAVE and FLUSHALL's saving side against a real redis-server 7.0: the same
 * commands, the same raw replies, the same INFO persistence field names in the same order.
 */
class CommandRepliesTest {
    @TempDir
    Path cowDir;
    @TempDir
    Path redisDir;

    private static List<String> script(Node n) throws Exception {
        List<String> out = new ArrayList<>();
        try (RespConnection c = n.raw()) {
            c.callString("CONFIG", "SET", "save", "3600 1");
            c.callString("SET", "a", "1");
            out.add(c.callString("SAVE"));
            out.add(c.callString("INFO", "persistence").contains("rdb_changes_since_last_save:0") + "");
            out.add(c.callString("BGSAVE", "foo"));
            out.add(c.callString("BGSAVE", "schedule", "x"));
            out.add(c.callString("LASTSAVE").replaceAll("\\d+", "N"));
            // a slow BGSAVE, so the next commands meet it in progress
            for (int i = 0; i < 200; i++) {
                c.callString("SET", "k" + i, "v");
            }
            c.callString("CONFIG", "SET", "rdb-key-save-delay", "50000");
            out.add(c.callString("BGSAVE"));
            out.add(c.callString("BGSAVE"));
            out.add(c.callString("BGSAVE", "SCHEDULE"));
            out.add(c.callString("SAVE"));
            // FLUSHALL cancels it and, with save points, saves the empty data set and resets dirty
            out.add(c.callString("FLUSHALL"));
            out.add(c.callString("INFO", "persistence").contains("rdb_changes_since_last_save:0") + "");
            c.callString("CONFIG", "SET", "rdb-key-save-delay", "0");
            long deadline = System.currentTimeMillis() + 30_000;
            while (c.callString("INFO", "persistence").contains("rdb_bgsave_in_progress:1")) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(20);
            }
            out.add(c.callString("INFO", "persistence").contains("rdb_last_bgsave_status:ok") + "");
            out.add(c.callString("DBSIZE"));
            // without save points FLUSHALL counts the keys it removed as changes
            c.callString("CONFIG", "SET", "save", "");
            c.callString("SET", "x", "1");
            c.callString("SET", "y", "1");
            out.add(c.callString("FLUSHALL"));
            String info = c.callString("INFO", "persistence");
            out.add(info.substring(info.indexOf("rdb_changes_since_last_save:")).split("\r\n")[0]);
            // Redis's fields, in Redis's order; CowKV appends its own (cowkv_*) after all of them
            List<String> names = new ArrayList<>();
            boolean ownSeen = false;
            boolean ownLast = true;
            for (String line : info.split("\r\n")) {
                if (line.contains(":")) {
                    String name = line.substring(0, line.indexOf(':'));
                    if (name.startsWith("cowkv_")) {
                        ownSeen = true;
                    } else {
                        ownLast &= !ownSeen;
                        names.add(name);
                    }
                }
            }
            out.add(String.join(",", names));
            out.add("own fields after Redis's: " + ownLast);
        }
        return out;
    }

    @Test
    void repliesMatchRedis() throws Exception {
        List<String> cow = Node.sameOnBoth(cowDir, redisDir, CommandRepliesTest::script, "--save", "");
        assertThat(cow.get(0)).isEqualTo("+OK\r\n");
        assertThat(cow.get(5)).isEqualTo("+Background saving started\r\n");
        assertThat(cow.get(6)).isEqualTo("-ERR Background save already in progress\r\n");
    }
}
