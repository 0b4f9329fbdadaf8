package io.cowkv.server.snapshot;

import io.cowkv.rdb.RdbWriter;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.Keyspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DumpLoaderTest {
    private final java.util.List<Keyspace> opened = new java.util.ArrayList<>();

    /** A fresh keyspace, closed after the test so its native memory is checked back in. */
    private Keyspace keyspace() {
        Keyspace ks = new Keyspace(16, () -> NOW);
        opened.add(ks);
        return ks;
    }

    @org.junit.jupiter.api.AfterEach
    void closeKeyspaces() {
        opened.forEach(Keyspace::close);
    }

    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private interface Body {
        void write(RdbWriter w) throws Exception;
    }

    private Path dump(Body body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(out);
        w.writeHeader();
        w.writeStandardAux("7.0.15", NOW / 1000 - 5, 1 << 20);
        body.write(w);
        w.finish();
        Path p = dir.resolve("dump.rdb");
        Files.write(p, out.toByteArray());
        return p;
    }

    @Test
    void loadsStringsWithTtlsAndDropsExpiredKeys() throws Exception {
        Path p = dump(w -> {
            w.selectDb(0);
            w.writeStringKey(b("plain"), b("v"), RdbWriter.NO_EXPIRY);
            w.writeStringKey(b("ttl"), b("w"), NOW + 60_000);
            w.writeStringKey(b("old"), b("x"), NOW - 1);
            w.selectDb(5);
            w.writeStringKey(b("n"), b("12345"), RdbWriter.NO_EXPIRY);
        });
        Keyspace ks = keyspace();
        DumpLoader.Result r = DumpLoader.load(p, ks, NOW);
        assertThat(r.found()).isTrue();
        assertThat(r.keysLoaded()).isEqualTo(3);
        assertThat(r.keysExpired()).isEqualTo(1);
        assertThat(r.producedBy()).isEqualTo("7.0.15");
        assertThat(ks.db(0).size()).isEqualTo(2);
        Entry e = ks.db(0).lookup(b("ttl"));
        assertThat(e.stringBytes()).isEqualTo(b("w"));
        assertThat(e.expireAt()).isEqualTo(NOW + 60_000);
        assertThat(ks.db(0).lookup(b("plain")).expireAt()).isEqualTo(Entry.NO_EXPIRE);
        assertThat(ks.db(5).lookup(b("n")).stringBytes()).isEqualTo(b("12345"));
    }

    @Test
    void aMissingDumpIsAnEmptyStart() throws Exception {
        assertThat(DumpLoader.load(dir.resolve("none.rdb"), keyspace(), NOW).found()).isFalse();
    }

    @Test
    void unsupportedTypesStopTheLoadNamingTheKeyAndLeaveTheFile() throws Exception {
        Path p = dump(w -> {
            w.selectDb(0);
            w.writeStringKey(b("s"), b("v"), RdbWriter.NO_EXPIRY);
            w.beginList(b("mylist"), RdbWriter.NO_EXPIRY, 2);
            w.listElement(b("a"));
            w.listElement(b("b"));
            w.endList();
        });
        byte[] before = Files.readAllBytes(p);
        assertThatThrownBy(() -> DumpLoader.load(p, keyspace(), NOW))
                .isInstanceOf(DumpLoader.LoadException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining("'mylist'")
                .hasMessageContaining("list")
                .hasMessageContaining("only load string values");
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
    }

    @Test
    void corruptAndTruncatedDumpsAreRefusedWithTheReason() throws Exception {
        Path p = dump(w -> {
            w.selectDb(0);
            for (int i = 0; i < 100; i++) {
                w.writeStringKey(b("k" + i), b("value-" + i), RdbWriter.NO_EXPIRY);
            }
        });
        byte[] good = Files.readAllBytes(p);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x55;
        Files.write(p, flipped);
        assertThatThrownBy(() -> DumpLoader.load(p, keyspace(), NOW))
                .isInstanceOf(DumpLoader.LoadException.class).hasMessageContaining("corrupt");
        assertThat(Files.readAllBytes(p)).isEqualTo(flipped);

        Files.write(p, java.util.Arrays.copyOf(good, good.length - 20));
        assertThatThrownBy(() -> DumpLoader.load(p, keyspace(), NOW))
                .isInstanceOf(DumpLoader.LoadException.class).hasMessageContaining("corrupt or truncated");
    }

    @Test
    void tooManyDatabasesAndUnreadableFilesAreRefused() throws Exception {
        Path p = dump(w -> {
            w.selectDb(20);
            w.writeStringKey(b("k"), b("v"), RdbWriter.NO_EXPIRY);
        });
        assertThatThrownBy(() -> DumpLoader.load(p, keyspace(), NOW))
                .hasMessageContaining("more than 16 databases");
        Path d = Files.createDirectory(dir.resolve("adir.rdb"));
        assertThatThrownBy(() -> DumpLoader.load(d, keyspace(), NOW))
                .isInstanceOf(DumpLoader.LoadException.class).hasMessageContaining(d.toString());
    }
}
