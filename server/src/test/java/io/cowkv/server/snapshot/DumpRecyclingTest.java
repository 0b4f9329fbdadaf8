package io.cowkv.server.snapshot;

import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.memory.ArenaConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rdb-recycle-previous-dump: the replaced dump is kept as previous-<dbfilename> and the next save
 * is written into that file, in place; the dump itself is never the file written into.
 */
class DumpRecyclingTest {
    @TempDir
    Path dir;

    private Keyspace ks;
    private final Map<String, String> expected = new TreeMap<>();

    @BeforeEach
    void open() {
        ks = new Keyspace(1, () -> 1_800_000_000_000L, ArenaConfig.of(4096, 64, true));
    }

    @AfterEach
    void close() {
        ks.close();
    }

    private void fill(int keys, int valueBytes, String tag) {
        Database db = ks.db(0);
        for (int i = 0; i < keys; i++) {
            String k = "k" + i;
            String v = tag + i + "x".repeat(valueBytes);
            db.setString(k.getBytes(StandardCharsets.UTF_8), 0, k.length(), v.getBytes(StandardCharsets.UTF_8), 0,
                    v.length(), false);
            expected.put("0:" + k, v + "|-1");
        }
    }

    private DumpFile.Result save(boolean recycle) throws IOException {
        var view = ks.freeze();
        try {
            return DumpFile.write(view, new DumpFile.Settings(dir, "dump.rdb", "temp-1.rdb", false, true, "7.0.15", 0,
                    0, 0, DumpFile.AUTOSYNC_BYTES, recycle), new AtomicLong(), new Cancellation());
        } finally {
            view.close();
        }
    }

    private Path dump() {
        return dir.resolve("dump.rdb");
    }

    private Path previous() {
        return dir.resolve("previous-dump.rdb");
    }

    private Object inode(Path p) throws IOException {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    private String[] files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void theReplacedDumpIsKeptAndTheNextSaveIsWrittenIntoItsFile() throws Exception {
        fill(2000, 300, "a");
        save(true);
        assertThat(files()).containsExactly("dump.rdb");
        byte[] first = Files.readAllBytes(dump());
        Object firstFile = inode(dump());

        fill(2000, 300, "b");
        save(true);
        assertThat(files()).containsExactly("dump.rdb", "previous-dump.rdb");
        assertThat(Files.readAllBytes(previous())).as("the replaced dump, complete").isEqualTo(first);
        assertThat(inode(previous())).isEqualTo(firstFile);
        assertThat(Dumps.read(dump())).isEqualTo(expected);
        Object secondFile = inode(dump());

        fill(2000, 300, "c");
        DumpFile.Result third = save(true);
        assertThat(inode(dump())).as("the third dump was written into the first one's file").isEqualTo(firstFile);
        assertThat(inode(previous())).isEqualTo(secondFile);
        assertThat(Files.size(dump())).isEqualTo(third.bytes());
        assertThat(Dumps.read(dump())).isEqualTo(expected);
        assertThat(files()).containsExactly("dump.rdb", "previous-dump.rdb");
    }

    @Test
    void aRecycledFileLargerThanTheNewDumpIsCutToItsSizeWithTheSameBytesAsANewFile() throws Exception {
        fill(3000, 900, "big");
        save(true);
        save(true); // previous-dump.rdb now holds the large dump
        long large = Files.size(previous());
        ks.db(0).clear();
        expected.clear();
        fill(100, 20, "small");
        save(true);
        byte[] recycled = Files.readAllBytes(dump());
        assertThat((long) recycled.length).isLessThan(large / 10);
        assertThat(Dumps.read(dump())).isEqualTo(expected);

        Files.delete(previous());
        Files.delete(dump());
        save(false);
        assertThat(Files.readAllBytes(dump())).as("byte for byte what a fresh file gets").isEqualTo(recycled);
    }

    @Test
    void aPreviousNameThatIsTheDumpItselfIsDroppedAndTheDumpIsNotWrittenInto() throws Exception {
        fill(1000, 100, "a");
        save(true);
        byte[] first = Files.readAllBytes(dump());
        // what a crash between the link and the rename leaves: two names for the current dump
        Files.createLink(previous(), dump());

        fill(1000, 100, "b");
        save(true);
        assertThat(Dumps.read(dump())).isEqualTo(expected);
        assertThat(Files.readAllBytes(previous())).as("the first dump survived intact").isEqualTo(first);
        assertThat(inode(previous())).isNotEqualTo(inode(dump()));
    }

    @Test
    void withoutRecyclingTheReplacedDumpIsDeletedAndAnOldPreviousFileIsLeftAlone() throws Exception {
        Files.writeString(previous(), "left by an earlier run");
        fill(500, 100, "a");
        save(false);
        fill(500, 100, "b");
        save(false);
        assertThat(files()).containsExactly("dump.rdb", "previous-dump.rdb");
        assertThat(Files.readString(previous())).isEqualTo("left by an earlier run");
        assertThat(Dumps.read(dump())).isEqualTo(expected);
    }

    @Test
    void aFailedRecycledSaveLeavesTheDumpAndNoTempFile() throws Exception {
        fill(1000, 100, "a");
        save(true);
        fill(1000, 100, "b");
        save(true);
        byte[] current = Files.readAllBytes(dump());
        Cancellation cancel = new Cancellation();
        cancel.cancel();
        var view = ks.freeze();
        try {
            DumpFile.write(view, new DumpFile.Settings(dir, "dump.rdb", "temp-1.rdb", false, true, "7.0.15", 0, 0, 0,
                    DumpFile.AUTOSYNC_BYTES, true), new AtomicLong(), cancel);
        } catch (DumpFile.CancelledException expectedCancel) {
            // the save stops at its first key
        } finally {
            view.close();
        }
        assertThat(Files.readAllBytes(dump())).isEqualTo(current);
        assertThat(files()).doesNotContain("temp-1.rdb");
    }
}
