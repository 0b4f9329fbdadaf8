package io.cowkv.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The arena against a plain model: random allocations, writes of every kind, frees, freezes,
 * page releases, reclaims and closes, with or without a {@link SharedPageHandler}. Every frozen
 * view must equal the model's copy taken at its freeze on every page not released, while the live
 * side goes on changing; copied bytes must equal the page size times the number of distinct pages
 * that were mapped at freeze, not released (nor preserved by the handler) and written (before
 * being unmapped) while the view was open; released or preserved pages are adopted, not copied;
 * frames held for the view are exactly the copied or unmapped pages not yet reclaimed.
 */
class ArenaModelProperties {

    /** One abstract step; the parameters are interpreted against the current state. */
    record Op(int kind, int a, int b, int c) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, Integer.MAX_VALUE)
                .withDistribution(RandomDistribution.uniform());
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 99).withDistribution(RandomDistribution.uniform());
        Arbitrary<Op> op = Combinators.combine(kind, any, any, any).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(200).withSizeDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<ArenaConfig> configs() {
        return Combinators.combine(Arbitraries.of(4096, 4096, 8192, 65536), Arbitraries.of(1, 2, 8, 64))
                .as((ps, fpc) -> ArenaConfig.of(ps, fpc, true));
    }

    @AfterProperty
    void noLeaks() {
        LeakChecks.assertNoNativeMemory();
    }

    @Property(tries = 1500, edgeCases = EdgeCasesMode.MIXIN)
    void arenaMatchesModel(@ForAll("configs") ArenaConfig cfg, @ForAll("ops") List<Op> ops) {
        Model m = new Model(new Arena(cfg));
        try {
            for (Op op : ops) {
                m.apply(op);
                m.checkAccounting();
            }
            Statistics.label("pages copied").collect(m.copiedPagesSeen == 0 ? "0" : m.copiedPagesSeen < 10 ? "1-9" : "10+");
            Statistics.label("runs allocated").collect(m.runsSeen > 0);
            Statistics.label("chunks released").collect(m.chunksReleased > 0);
            m.verifyLive();
            m.closeView();
            m.freeAll();
            LeakChecks.assertAllFramesFree(m.arena);
        } finally {
            m.dispose();
        }
    }

    /**
     * Giving chunks back moves live pages between frames: after mass frees and releases the
     * contents still match the model, frames taken later come from re-mapped chunks, snapshots
     * taken after a release still copy and read correctly, and nothing leaks.
     */
    @Property(tries = 200)
    void releasingChunksKeepsContents(@ForAll("configs") ArenaConfig cfg, @ForAll("ops") List<Op> ops,
                                      @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Model m = new Model(new Arena(cfg));
        Random rnd = new Random(seed);
        try {
            for (int round = 0; round < 3; round++) {
                for (Op op : ops) {
                    m.apply(op);
                }
                m.closeView();
                List<Long> all = new ArrayList<>(m.addrs);
                Collections.shuffle(all, rnd);
                for (int i = 0; i < all.size() * 3 / 4; i++) {
                    m.free(all.get(i));
                }
                long nativeBefore = m.arena.nativeBytesReserved();
                int last = -1;
                for (int i = 0; i < 100_000 && last != 0; i++) {
                    last = m.arena.releaseFreeChunks(2);
                    m.checkAccounting();
                }
                m.chunksReleased += (int) ((nativeBefore - m.arena.nativeBytesReserved())
                        / ((long) cfg.framesPerChunk() * m.pageSize));
                m.verifyLive();
                m.checkAccounting();
                long reserve = Math.max(2L * cfg.framesPerChunk(), m.arena.framesInUse() / Arena.RESERVE_DIVISOR);
                assertThat(m.arena.freeFrames()).as("less than the reserve plus one chunk stays free")
                        .isLessThan(reserve + cfg.framesPerChunk());
            }
            Statistics.label("chunks released").collect(m.chunksReleased > 0);
            m.closeView();
            m.freeAll();
            LeakChecks.assertAllFramesFree(m.arena);
        } finally {
            m.dispose();
        }
    }

    /** Freeze with nothing written afterwards copies nothing; a second freeze after close works. */
    @Property(tries = 30)
    void repeatedFreezesWithoutWritesCopyNothing(@ForAll("configs") ArenaConfig cfg, @ForAll("ops") List<Op> ops) {
        Model m = new Model(new Arena(cfg));
        try {
            for (Op op : ops) {
                if (op.kind() < 40) {
                    m.apply(op);
                }
            }
            for (int i = 0; i < 3; i++) {
                m.freeze();
                m.verifyView();
                assertThat(m.view.copiedBytes()).isZero();
                m.closeView();
            }
            m.freeAll();
            LeakChecks.assertAllFramesFree(m.arena);
        } finally {
            m.dispose();
        }
    }

    static final class Model {
        final Arena arena;
        final int pageSize;
        final int shift;
        final List<Long> addrs = new ArrayList<>();
        final Map<Long, byte[]> content = new HashMap<>();
        final Map<Long, Integer> pageRefs = new HashMap<>();
        long expectedUsed;

        FrozenView view;
        Map<Long, byte[]> frozen;
        Set<Long> sharedPages;
        List<Long> frozenPages;
        Set<Long> released;
        /** Pages whose frozen frame the arena keeps for the view (copied or unmapped, not reclaimed). */
        Set<Long> held;
        boolean handlerOn;
        long expectedCopied;
        long expectedAdopted;
        long expectedPreserved;
        long expectedLast;
        long expectedAdoptedLast;
        int copiedPagesSeen;
        int runsSeen;

        Model(Arena arena) {
            this.arena = arena;
            this.pageSize = arena.pageSize();
            this.shift = Integer.numberOfTrailingZeros(pageSize);
        }

        void apply(Op op) {
            int k = op.kind();
            if (k < 25 || addrs.isEmpty()) {
                allocate(op);
            } else if (k < 38) {
                free(addrs.get(op.a() % addrs.size()));
            } else if (k < 63) {
                write(op);
            } else if (k < 68) {
                release(op);
            } else if (k < 69) {
                reclaim();
            } else if (k < 70) {
                releaseChunks(op.a() % 3 == 0);
            } else if (k < 78) {
                freeze();
            } else if (k < 84) {
                closeView();
            } else if (k < 92) {
                verifyView();
            } else {
                verifyLive();
            }
        }

        void freeze() {
            freeze(false);
        }

        void freeze(boolean withHandler) {
            if (view == null) {
                view = arena.freeze();
                frozen = new HashMap<>();
                content.forEach((a, b) -> frozen.put(a, b.clone()));
                sharedPages = new HashSet<>(pageRefs.keySet());
                frozenPages = new ArrayList<>(pageRefs.keySet());
                released = new HashSet<>();
                held = new HashSet<>();
                expectedCopied = 0;
                expectedAdopted = 0;
                expectedPreserved = 0;
                handlerOn = withHandler || (frozenPages.size() % 2 == 1);
                if (handlerOn) {
                    view.sharedPageHandler(this::preserve);
                }
                for (long p : frozenPages) {
                    assertThat(p).isLessThan(view.pages());
                }
            }
        }

        /** The handler: preserves every third page; only ever asked about shared, unreleased pages. */
        boolean preserve(int page) {
            assertThat(sharedPages).as("asked about a page still shared").contains((long) page);
            assertThat(released).as("asked about an unreleased page").doesNotContain((long) page);
            return page % 3 == 0;
        }

        void release(Op op) {
            if (view == null || frozenPages.isEmpty()) {
                return;
            }
            long p = op.b() % 4 == 0 ? op.b() % view.pages() : frozenPages.get(op.b() % frozenPages.size());
            view.release((int) p);
            released.add(p);
            assertThat(view.isReleased((int) p)).isTrue();
        }

        void reclaim() {
            int n = arena.reclaimReleased();
            if (view == null) {
                assertThat(n).isZero();
                return;
            }
            int before = held.size();
            held.removeIf(released::contains);
            assertThat(n).isEqualTo(before - held.size());
        }

        /**
         * Gives free chunks back (pages move to other frames); nothing while a view is open; contents
         * unchanged. {@code inSteps}: with no time budget, so that a chunk is left half emptied
         * (16 frames a call) while the other operations, freezes included, go on.
         */
        void releaseChunks(boolean inSteps) {
            long nativeBefore = arena.nativeBytesReserved();
            long freeBefore = arena.freeFrames();
            int n = inSteps ? arena.releaseFreeChunks(3, 0) : arena.releaseFreeChunks(3);
            if (view != null) {
                assertThat(n).as("no release while a snapshot is open").isZero();
                return;
            }
            chunksReleased += n;
            long chunkBytes = (long) arena.config().framesPerChunk() * pageSize;
            assertThat(arena.nativeBytesReserved()).isEqualTo(nativeBefore - n * chunkBytes);
            assertThat(arena.freeFrames()).isEqualTo(freeBefore - n * (long) arena.config().framesPerChunk());
            if (n > 0 || inSteps) {
                verifyLive(); // every value reads back the same through the moved pages
            }
        }

        int chunksReleased;

        void allocate(Op op) {
            int r = op.a() % 100;
            int size;
            if (r < 65) {
                size = 1 + op.b() % 200;
            } else if (r < 88) {
                size = 1 + op.b() % arena.maxSmallSize();
            } else {
                size = 1 + op.b() % (4 * pageSize);
            }
            long a = arena.allocate(size);
            assertThat(a).isPositive();
            assertThat(content).doesNotContainKey(a);
            int usable = arena.usableSize(size);
            if (size > arena.maxSmallSize()) {
                runsSeen++;
            }
            forPages(a, usable, p -> pageRefs.merge(p, 1, Integer::sum));
            addrs.add(a);
            byte[] data = new byte[size];
            new Random(op.c()).nextBytes(data);
            content.put(a, data);
            expectedUsed += usable;
            arena.write(a, data, 0, size);
            written(a, size);
        }

        void free(long a) {
            byte[] data = content.remove(a);
            addrs.remove(a);
            int usable = arena.usableSize(data.length);
            arena.free(a, data.length);
            expectedUsed -= usable;
            forPages(a, usable, p -> {
                int n = pageRefs.merge(p, -1, Integer::sum);
                if (n == 0) {
                    pageRefs.remove(p);
                    if (sharedPages != null && sharedPages.remove(p) && !released.contains(p)) {
                        held.add(p); // unmapped: its frame now belongs to the view only
                    }
                }
            });
        }

        void write(Op op) {
            long a = addrs.get(op.a() % addrs.size());
            byte[] d = content.get(a);
            int size = d.length;
            Random rnd = new Random(op.c());
            int sub = op.b() % 8;
            int off = rnd.nextInt(size);
            switch (sub) {
                case 0: {
                    int len = 1 + rnd.nextInt(size - off);
                    byte[] src = new byte[len + 3];
                    rnd.nextBytes(src);
                    arena.write(a + off, src, 3, len);
                    System.arraycopy(src, 3, d, off, len);
                    written(a + off, len);
                    break;
                }
                case 1:
                case 2:
                case 3: {
                    int w = sub == 1 ? 8 : sub == 2 ? 4 : 2;
                    if (size < w) {
                        return;
                    }
                    off = rnd.nextInt(size - w + 1);
                    long v = rnd.nextLong();
                    if (w == 8) {
                        arena.writeLong(a + off, v);
                    } else if (w == 4) {
                        arena.writeInt(a + off, (int) v);
                    } else {
                        arena.writeShort(a + off, (short) v);
                    }
                    for (int i = 0; i < w; i++) {
                        d[off + i] = (byte) (v >>> (8 * i));
                    }
                    written(a + off, w);
                    break;
                }
                case 4: {
                    byte v = (byte) rnd.nextInt();
                    arena.writeByte(a + off, v);
                    d[off] = v;
                    written(a + off, 1);
                    break;
                }
                case 5: {
                    int len = rnd.nextInt(size - off + 1);
                    byte v = (byte) rnd.nextInt();
                    arena.fill(a + off, len, v);
                    Arrays.fill(d, off, off + len, v);
                    written(a + off, len);
                    break;
                }
                case 6: {
                    int len = rnd.nextInt(size - off + 1);
                    int dst = rnd.nextInt(size - len + 1);
                    arena.copy(a + off, a + dst, len);
                    System.arraycopy(d, off, d, dst, len);
                    if (off != dst) { // a copy onto itself writes nothing
                        written(a + dst, len);
                    }
                    break;
                }
                default: {
                    long b = addrs.get(rnd.nextInt(addrs.size()));
                    byte[] e = content.get(b);
                    int len = rnd.nextInt(Math.min(size - off, e.length) + 1);
                    int dst = rnd.nextInt(e.length - len + 1);
                    arena.copy(a + off, b + dst, len);
                    System.arraycopy(d, off, e, dst, len);
                    if (a + off != b + dst) {
                        written(b + dst, len);
                    }
                    break;
                }
            }
        }

        /** Model of the write barrier: the first write to a still-shared page copies it. */
        void written(long a, int len) {
            if (view == null || len == 0) {
                return;
            }
            forPages(a, len, p -> {
                if (sharedPages.remove(p)) {
                    if (released.contains(p)) {
                        expectedAdopted++;
                    } else if (handlerOn && p % 3 == 0) {
                        expectedAdopted++;
                        expectedPreserved++;
                        released.add(p);
                    } else {
                        expectedCopied += pageSize;
                        copiedPagesSeen++;
                        held.add(p);
                    }
                }
            });
        }

        void forPages(long a, int len, java.util.function.LongConsumer c) {
            for (long p = a >>> shift; p <= (a + len - 1) >>> shift; p++) {
                c.accept(p);
            }
        }

        void checkAccounting() {
            assertThat(arena.usedBytes()).isEqualTo(expectedUsed);
            assertThat(arena.snapshotOpen()).isEqualTo(view != null);
            if (view != null) {
                assertThat(view.copiedBytes()).as("copied bytes").isEqualTo(expectedCopied);
                assertThat(arena.copiedBytesCurrent()).isEqualTo(expectedCopied);
                SnapshotCounters c = view.counters();
                assertThat(c.adoptedPages()).as("adopted pages").isEqualTo(expectedAdopted);
                assertThat(c.preservedPages()).as("preserved pages").isEqualTo(expectedPreserved);
                assertThat(arena.framesHeldForSnapshot()).as("frames held").isEqualTo(held.size());
                assertThat(c.heldBytes()).isEqualTo((long) held.size() * pageSize);
                assertThat(c.heldBytesPeak()).isGreaterThanOrEqualTo(c.heldBytes());
                for (long p : released) {
                    assertThat(view.isReleased((int) p)).isTrue();
                }
            } else {
                assertThat(arena.framesHeldForSnapshot()).isZero();
            }
            assertThat(arena.copiedBytesLast()).isEqualTo(expectedLast);
            assertThat(arena.framesInUse() - arena.framesHeldForSnapshot()).as("live frames")
                    .isEqualTo(pageRefs.size());
            assertThat(arena.freeFrames() + arena.framesInUse()).isEqualTo(arena.totalFrames());
        }

        void verifyLive() {
            content.forEach((a, d) -> {
                byte[] got = new byte[d.length];
                arena.read(a, got, 0, d.length);
                assertThat(got).isEqualTo(d);
                assertThat(arena.equalsBytes(a, d, 0, d.length)).isTrue();
                assertThat(arena.hash(a, d.length)).isEqualTo(Arena.hash(d, 0, d.length));
                if (d.length >= 8) {
                    assertThat(arena.readLong(a + d.length - 8)).isEqualTo(leLong(d, d.length - 8));
                }
                assertThat(chunked(a, d.length, arena::forEachChunk)).isEqualTo(d);
            });
        }

        void verifyView() {
            if (view == null) {
                return;
            }
            frozen.forEach((a, d) -> {
                boolean[] touchesReleased = {false};
                forPages(a, arena.usableSize(d.length), p -> touchesReleased[0] |= released.contains(p));
                if (touchesReleased[0]) {
                    return; // the reader promised never to read it again: its frame may be reused
                }
                byte[] got = new byte[d.length];
                view.read(a, got, 0, d.length);
                assertThat(got).as("frozen content at 0x%x", a).isEqualTo(d);
                assertThat(view.equalsBytes(a, d, 0, d.length)).isTrue();
                assertThat(view.hash(a, d.length)).isEqualTo(Arena.hash(d, 0, d.length));
                assertThat(view.readByte(a)).isEqualTo(d[0]);
                if (d.length >= 8) {
                    assertThat(view.readLong(a)).isEqualTo(leLong(d, 0));
                    assertThat(view.readInt(a + d.length - 4)).isEqualTo((int) leLong4(d, d.length - 4));
                    assertThat(view.readShort(a + 1)).isEqualTo((short) ((d[1] & 0xFF) | (d[2] & 0xFF) << 8));
                }
                assertThat(chunked(a, d.length, view::forEachChunk)).isEqualTo(d);
            });
        }

        void closeView() {
            if (view == null) {
                return;
            }
            verifyView();
            view.close();
            expectedLast = expectedCopied;
            assertThat(arena.copiedBytesLast()).isEqualTo(expectedCopied);
            assertThat(arena.snapshotCountersLast().adoptedPages()).isEqualTo(expectedAdopted);
            assertThat(arena.snapshotCountersLast().preservedPages()).isEqualTo(expectedPreserved);
            assertThat(arena.framesHeldForSnapshot()).isZero();
            view = null;
            frozen = null;
            sharedPages = null;
            released = null;
            held = null;
        }

        void freeAll() {
            for (Long a : new ArrayList<>(addrs)) {
                free(a);
            }
        }

        void dispose() {
            if (view != null) {
                view.close();
            }
            arena.close();
        }

        interface Chunker {
            void forEachChunk(long a, int len, NativeChunkConsumer c);
        }

        static byte[] chunked(long a, int len, Chunker chunker) {
            byte[] out = new byte[len];
            int[] pos = {0};
            chunker.forEachChunk(a, len, (addr, n) -> {
                assertThat(n).isPositive();
                PageReader.MEM.readBytes(addr, out, pos[0], n);
                pos[0] += n;
            });
            assertThat(pos[0]).isEqualTo(len);
            return out;
        }

        static long leLong(byte[] d, int off) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (d[off + i] & 0xFFL) << (8 * i);
            }
            return v;
        }

        static long leLong4(byte[] d, int off) {
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v |= (d[off + i] & 0xFFL) << (8 * i);
            }
            return v;
        }
    }
}
