package io.cowkv.server.snapshot;

import io.cowkv.rdb.RdbWriter;
import io.cowkv.server.keyspace.Entry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The keyspace thread's blocks: valid RDB with its own SELECTDBs, the skip rule, bounded and recycled. */
class WriterBlocksTest {
    private static final long FROZEN_AT = 1_800_000_000_000L;
    private final long outstandingBefore = WriterBlocks.SlabPool.outstandingBytes();

    private static void record(WriterBlocks w, int db, String k, String v, long exp) {
        byte[] kb = k.getBytes(StandardCharsets.UTF_8);
        byte[] vb = v.getBytes(StandardCharsets.UTF_8);
        w.string(db, kb, kb.length, vb, vb.length, exp);
    }

    @Test
    void aBlockIsValidRdbThatSelectsItsDatabasesAndSkipsExpiredKeys() throws Exception {
        WriterBlocks w = new WriterBlocks(4096, FROZEN_AT);
        assertThat(w.canTakePage()).isTrue();
        w.beginPage(7);
        record(w, 3, "a", "x".repeat(500), Entry.NO_EXPIRE);
        record(w, 3, "b", "12345", FROZEN_AT + 10);
        record(w, 3, "gone", "old", FROZEN_AT); // expired at the freeze: skipped
        record(w, 0, "c", "", Entry.NO_EXPIRE);
        w.endPage();
        WriterBlocks.Block b = w.poll();
        assertThat(b.saved).isEqualTo(3);
        assertThat(b.skipped).isEqualTo(1);
        assertThat(b.lastDb).isZero();
        assertThat(w.pages()).isEqualTo(1);
        assertThat(w.bytes()).isEqualTo(b.len);

        // spliced after keys of database 5, followed by more keys of database 5 (re-selected)
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter rw = new RdbWriter(out);
        rw.writeHeader();
        rw.selectDb(5);
        rw.writeStringKey("before".getBytes(), "1".getBytes(), RdbWriter.NO_EXPIRY);
        w.splice(b, rw);
        rw.selectDb(5);
        rw.writeStringKey("after".getBytes(), "2".getBytes(), RdbWriter.NO_EXPIRY);
        rw.finish();
        assertThat(Dumps.records(out.toByteArray())).containsExactly(Map.entry("5:before", "1|-1"),
                Map.entry("3:a", "x".repeat(500) + "|-1"), Map.entry("3:b", "12345|" + (FROZEN_AT + 10)),
                Map.entry("0:c", "|-1"), Map.entry("5:after", "2|-1"));
        w.recycle(b);
        assertThat(w.waitingBlocks()).isZero();
        w.returnSlabs();
        assertThat(WriterBlocks.SlabPool.outstandingBytes()).as("a pool that keeps none frees them").isEqualTo(outstandingBefore);
    }

    /** The next save reuses the slabs of the last one (no new allocation), up to 16 MiB; close frees them. */
    @Test
    void slabsGoBackToThePoolAndTheNextSaveReusesThem() {
        WriterBlocks.SlabPool pool = new WriterBlocks.SlabPool();
        WriterBlocks first = new WriterBlocks(4096, FROZEN_AT, pool);
        assertThat(first.canTakePage()).isTrue();
        first.beginPage(1);
        record(first, 0, "k", "v", Entry.NO_EXPIRE);
        first.endPage();
        long slab = first.poll().address;
        assertThat(first.slabsTaken()).isEqualTo(1);
        assertThat(pool.size()).isZero();
        assertThat(WriterBlocks.SlabPool.outstandingBytes() - outstandingBefore).isEqualTo(WriterBlocks.SLAB_BYTES);
        first.returnSlabs();
        first.returnSlabs(); // idempotent
        assertThat(pool.size()).isEqualTo(1);
        assertThat(first.canTakePage()).as("no block after the slabs went back").isFalse();

        WriterBlocks second = new WriterBlocks(4096, FROZEN_AT, pool);
        assertThat(second.canTakePage()).isTrue();
        second.beginPage(2);
        record(second, 0, "k2", "v2", Entry.NO_EXPIRE);
        second.endPage();
        assertThat(second.poll().address).as("the first block of the same slab").isEqualTo(slab);
        assertThat(pool.size()).isZero();
        assertThat(WriterBlocks.SlabPool.outstandingBytes() - outstandingBefore).isEqualTo(WriterBlocks.SLAB_BYTES);
        second.returnSlabs();

        int max = WriterBlocks.MAX_BYTES / WriterBlocks.SLAB_BYTES;
        long[] taken = new long[max + 10];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = pool.take();
        }
        for (long t : taken) {
            pool.giveBack(t);
        }
        assertThat(pool.size()).isEqualTo(max);
        assertThat(WriterBlocks.SlabPool.outstandingBytes() - outstandingBefore)
                .as("slabs beyond the limit are freed").isEqualTo((long) max * WriterBlocks.SLAB_BYTES);
        pool.close();
        assertThat(pool.size()).isZero();
        assertThat(WriterBlocks.SlabPool.outstandingBytes()).isEqualTo(outstandingBefore);
        long late = new WriterBlocks.SlabPool().take();
        pool.giveBack(late); // after close: freed, not kept
        assertThat(pool.size()).isZero();
        assertThat(WriterBlocks.SlabPool.outstandingBytes()).isEqualTo(outstandingBefore);
        pool.close(); // idempotent
    }

    @Test
    void whenEveryBlockWaitsThePageIsDeclinedUntilOneComesBack() {
        WriterBlocks w = new WriterBlocks(65536, FROZEN_AT);
        int max = WriterBlocks.MAX_BYTES / WriterBlocks.blockSize(65536);
        for (int i = 0; i < max; i++) {
            assertThat(w.canTakePage()).isTrue();
            w.beginPage(i);
            record(w, 0, "k" + i, "v", Entry.NO_EXPIRE);
            w.endPage();
        }
        assertThat(w.canTakePage()).isFalse();
        assertThat(w.declinedPages()).isEqualTo(1);
        assertThat(w.allocatedBlocks()).isEqualTo(max);
        assertThat(w.peakWaitingBytes()).isEqualTo(w.bytes());
        WriterBlocks.Block b = w.poll();
        w.recycle(b);
        assertThat(w.canTakePage()).isTrue();
        assertThat(w.allocatedBlocks()).as("reused, not allocated").isEqualTo(max);
        WriterBlocks.Block x;
        while ((x = w.poll()) != null) {
            w.recycle(x);
        }
        assertThat(w.freeBlocks()).isEqualTo(w.allocatedBlocks());
        w.returnSlabs();
        assertThat(WriterBlocks.SlabPool.outstandingBytes()).isEqualTo(outstandingBefore);
    }

    /**
     * The records whose RDB encoding most exceeds their arena slot: integers of 20 characters under
     * 2-byte keys, 22 + 2 = 24-byte records (size class 24, so 170 of them in a 4 KiB page), each
     * encoded in 25 bytes. A full page of them stays in its block.
     */
    @Test
    void aFullPageOfTheWorstRecordsFitsItsBlock() {
        WriterBlocks w = new WriterBlocks(4096, FROZEN_AT);
        assertThat(w.canTakePage()).isTrue();
        w.beginPage(1);
        for (int i = 0; i < 4096 / 24; i++) {
            record(w, 0, "k" + (char) ('a' + i % 26), "-1000000000000000000", Entry.NO_EXPIRE); // 2-byte keys that are not integers
        }
        w.endPage();
        WriterBlocks.Block b = w.poll();
        assertThat(b.len).as("170 records of 25 bytes and a SELECTDB").isEqualTo(170 * 25 + 2);
        assertThat(b.overflow).as("within the block").isNull();
        w.recycle(b);
        w.returnSlabs();
        assertThat(WriterBlocks.SlabPool.outstandingBytes()).isEqualTo(outstandingBefore);
    }

    @Test
    void blocksShareSlabsWithoutOverlapAndAnOversizedOneMovesOut() throws Exception {
        WriterBlocks w = new WriterBlocks(4096, FROZEN_AT);
        List<WriterBlocks.Block> blocks = new ArrayList<>();
        int blockSize = WriterBlocks.blockSize(4096);
        int n = WriterBlocks.SLAB_BYTES / blockSize + 3; // crosses into a second slab
        for (int i = 0; i < n; i++) {
            assertThat(w.canTakePage()).isTrue();
            w.beginPage(i);
            // page 1 outgrows its block: 9 KiB of records in a 4 KiB + 320 block
            int records = i == 1 ? 3 : 1;
            for (int r = 0; r < records; r++) {
                record(w, i % 3, "k" + i + "." + r, (char) ('a' + i % 26) + "v".repeat(i == 1 ? 3000 : 100), Entry.NO_EXPIRE);
            }
            w.endPage();
            blocks.add(w.poll());
        }
        long slab = blocks.get(0).address;
        for (int i = 1; i < n - 3; i++) {
            assertThat(blocks.get(i).address).as("carved from one slab, side by side").isEqualTo(slab + (long) i * blockSize);
        }
        assertThat(blocks.get(1).overflow).as("the oversized page moved to an array of its own").hasSize(blocks.get(1).len);
        assertThat(blocks.get(1).len).isGreaterThan(blocks.get(1).cap);
        assertThat(blocks.get(0).overflow).isNull();
        long second = blocks.get(n - 3).address;
        assertThat(second < slab || second >= slab + WriterBlocks.SLAB_BYTES).as("a second slab, not the rest of the first").isTrue();
        assertThat(blocks.get(n - 1).address).isEqualTo(second + 2L * blockSize);
        assertThat(w.slabsTaken()).isEqualTo(2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter rw = new RdbWriter(out);
        rw.writeHeader();
        for (WriterBlocks.Block b : blocks) {
            w.splice(b, rw);
        }
        rw.finish();
        w.returnSlabs();
        assertThat(WriterBlocks.SlabPool.outstandingBytes()).isEqualTo(outstandingBefore);
        List<Map.Entry<String, String>> records = Dumps.records(out.toByteArray());
        assertThat(records).hasSize(n + 2);
        for (int i = 0; i < n; i++) {
            String value = (char) ('a' + i % 26) + "v".repeat(i == 1 ? 3000 : 100);
            assertThat(records).contains(Map.entry((i % 3) + ":k" + i + ".0", value + "|-1"));
        }
    }

    @Test
    void ringIsFifoAndBounded() {
        SpscRing<Integer> r = new SpscRing<>(5);
        assertThat(r.capacity()).isEqualTo(8);
        assertThat(r.poll()).isNull();
        for (int i = 0; i < 8; i++) {
            assertThat(r.offer(i)).isTrue();
        }
        assertThat(r.offer(8)).isFalse();
        assertThat(r.size()).isEqualTo(8);
        for (int i = 0; i < 8; i++) {
            assertThat(r.poll()).isEqualTo(i);
            assertThat(r.offer(100 + i)).isTrue();
        }
        for (int i = 0; i < 8; i++) {
            assertThat(r.poll()).isEqualTo(100 + i);
        }
        assertThat(r.poll()).isNull();
    }
}
