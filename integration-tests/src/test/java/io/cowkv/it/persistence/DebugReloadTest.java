package io.cowkv.it.persistence;

import io.cowkv.it.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] and DEBUG's protection (enable-debug-command) against
 * a real redis-server 7.0 where Redis keeps running, and CowKV's safe behaviour where Redis exits
 * or empties the data set (a dump that cannot be loaded: CowKV replies the error and keeps the data).
 */
class DebugReloadTest {
    @TempDir
    Path cowDir;
    @TempDir
    Path redisDir;

    private static String field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line;
            }
        }
        return name + " missing";
    }

    /** Replies of the same reload sequence; both servers must give the same list. */
    private static List<String> reloadScript(Node n) throws Exception {
        List<String> out = new ArrayList<>();
        try (RespConnection c = n.raw()) {
            for (int i = 0; i < 50; i++) {
                c.callString("SET", "k" + i, i % 2 == 0 ? Integer.toString(i) : "value-" + i);
            }
            c.callString("PEXPIREAT", "k1", "4102444800000");
            c.callString("SELECT", "2");
            c.callString("SET", "in-db-2", "x".repeat(300));
            c.callString("SELECT", "0");
            String digest = c.callString("DEBUG", "DIGEST");
            out.add(digest);
            out.add(c.callString("DEBUG", "RELOAD", "foo"));
            out.add(c.callString("DEBUG", "RELOAD"));
            out.add("logged: " + n.awaitOutput("DB reloaded by DEBUG RELOAD").contains("DB reloaded"));
            out.add(c.callString("DEBUG", "DIGEST"));
            out.add(c.callString("PEXPIRETIME", "k1"));
            out.add(c.callString("OBJECT", "ENCODING", "k0"));
            String info = c.callString("INFO", "persistence");
            out.add(field(info, "rdb_saves"));
            out.add(field(info, "rdb_changes_since_last_save"));
            out.add(field(info, "rdb_last_load_keys_loaded"));
            out.add(field(info, "rdb_last_bgsave_status"));
            // NOSAVE: back to the dump, the keys written since are gone
            c.callString("SET", "new", "1");
            c.callString("DEL", "k2");
            out.add(c.callString("DEBUG", "RELOAD", "NOSAVE"));
            out.add(c.callString("DEBUG", "DIGEST").equals(digest) + "");
            out.add(c.callString("EXISTS", "new", "k2"));
            // NOSAVE NOFLUSH MERGE: the dump's keys win, the others stay
            c.callString("SET", "new", "1");
            c.callString("SET", "k3", "changed");
            out.add(c.callString("DEBUG", "RELOAD", "nosave", "noflush", "merge"));
            out.add(c.callString("GET", "k3"));
            out.add(c.callString("EXISTS", "new"));
            out.add(c.callString("DBSIZE"));
            out.add(c.callString("DEBUG", "DIGEST-VALUE", "k3", "new", "nokey"));
        }
        return out;
    }

    @Test
    void reloadMatchesRedis() throws Exception {
        List<String> cow = Node.sameOnBoth(cowDir, redisDir, DebugReloadTest::reloadScript,
                "--save", "", "--enable-debug-command", "local");
        assertThat(cow.get(2)).isEqualTo("+OK\r\n");
        assertThat(cow.get(3)).isEqualTo("logged: true");
        assertThat(cow.get(4)).isEqualTo(cow.get(0));
        assertThat(cow).contains("rdb_last_load_keys_loaded:51");
    }

    /** DEBUG is refused by default, counted as a rejected call, as in Redis. */
    private static List<String> refusedScript(Node n) throws Exception {
        List<String> out = new ArrayList<>();
        try (RespConnection c = n.raw()) {
            out.add(c.callString("DEBUG"));
            out.add(c.callString("DEBUG", "HELP"));
            out.add(c.callString("DEBUG", "RELOAD"));
            out.add(c.callString("CONFIG", "SET", "enable-debug-command", "yes"));
            out.add(c.callString("CONFIG", "GET", "enable-debug-command"));
            out.add(field(c.callString("INFO", "commandstats"), "cmdstat_debug"));
        }
        return out;
    }

    @Test
    void refusedByDefaultAsInRedis() throws Exception {
        List<String> cow = Node.sameOnBoth(cowDir, redisDir, DebugReloadTest::refusedScript, "--save", "");
        assertThat(cow.get(1)).startsWith("-ERR DEBUG command not allowed.");
        assertThat(cow.get(5)).isEqualTo("cmdstat_debug:calls=0,usec=0,usec_per_call=0.00,rejected_calls=3,failed_calls=0");
    }

    private static final String LOAD_FAILED = "-ERR Error trying to load the RDB dump, check server logs.\r\n";

    /**
     * Where Redis exits (corrupt dump; NOFLUSH without MERGE meeting an existing key) or empties the
     * data set first (NOSAVE without a dump), CowKV checks the dump before touching anything.
     */
    @Test
    void unloadableDumpLeavesTheDataAlone() throws Exception {
        try (Node n = Node.cowkv(cowDir, "--save", "", "--enable-debug-command", "yes").start();
             RespConnection c = n.raw()) {
            c.callString("SET", "a", "1");
            c.callString("SET", "b", "two");
            String digest = c.callString("DEBUG", "DIGEST");
            // no dump yet
            assertThat(c.callString("DEBUG", "RELOAD", "NOSAVE")).isEqualTo(LOAD_FAILED);
            assertThat(c.callString("DEBUG", "DIGEST")).isEqualTo(digest);
            // NOFLUSH without MERGE: the dump holds 'a' and 'b', which exist
            assertThat(c.callString("SAVE")).isEqualTo("+OK\r\n");
            assertThat(c.callString("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH")).isEqualTo(LOAD_FAILED);
            assertThat(n.awaitOutput("already exists (RELOAD NOFLUSH without MERGE)"))
                    .containsPattern("key '[ab]' in database 0 already exists \\(RELOAD NOFLUSH without MERGE\\)");
            assertThat(c.callString("DEBUG", "DIGEST")).isEqualTo(digest);
            // ... and with no key in common it loads
            c.callString("FLUSHALL");
            c.callString("SET", "c", "3");
            assertThat(c.callString("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH")).isEqualTo("+OK\r\n");
            assertThat(c.callString("DBSIZE")).isEqualTo(":3\r\n");
            // a corrupt dump
            String before = c.callString("DEBUG", "DIGEST");
            byte[] dump = Files.readAllBytes(cowDir.resolve("dump.rdb"));
            dump[dump.length - 3] ^= 0x55; // inside the CRC-64
            Files.write(cowDir.resolve("dump.rdb"), dump);
            assertThat(c.callString("DEBUG", "RELOAD", "NOSAVE")).isEqualTo(LOAD_FAILED);
            assertThat(n.awaitOutput("the file is corrupt or truncated")).contains("the file is corrupt or truncated");
            assertThat(c.callString("DEBUG", "DIGEST")).isEqualTo(before);
            assertThat(n.isAlive()).isTrue();
        }
    }

    /** A running BGSAVE is cancelled (a view is frozen only once); the reload then saves and loads. */
    @Test
    void reloadDuringBgsave() throws Exception {
        try (Node n = Node.cowkv(cowDir, "--save", "", "--enable-debug-command", "yes").start();
             RespConnection c = n.raw()) {
            for (int i = 0; i < 200; i++) {
                c.callString("SET", "k" + i, "v" + i);
            }
            c.callString("CONFIG", "SET", "rdb-key-save-delay", "50000");
            assertThat(c.callString("BGSAVE")).isEqualTo("+Background saving started\r\n");
            c.callString("CONFIG", "SET", "rdb-key-save-delay", "0");
            String digest = c.callString("DEBUG", "DIGEST");
            assertThat(c.callString("DEBUG", "RELOAD")).isEqualTo("+OK\r\n");
            assertThat(c.callString("DEBUG", "DIGEST")).isEqualTo(digest);
            String info = c.callString("INFO", "persistence");
            assertThat(info).contains("rdb_bgsave_in_progress:0").contains("rdb_last_load_keys_loaded:200");
            assertThat(n.output()).contains("Background saving terminated: cancelled by DEBUG RELOAD");
        }
    }
}
