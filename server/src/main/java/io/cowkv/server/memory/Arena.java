package io.cowkv.server.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * An off-heap, paged, copy-on-write arena: one logical address space of pages backed by native
 * frames, with an allocator whose metadata lives on the Java heap.
 *
 * <h2>Addresses</h2>
 * A logical address is a {@code long}: page number in the high bits, offset in the page in the low
 * {@code log2(pageSize)} bits ({@code address = page << pageShift | offset}). The pages of a run are
 * logically contiguous, so {@code address + i} walks a large value across its pages. Page 0 is never
 * allocated: {@code 0} is never a valid address and can serve as null.
 *
 * <h2>Allocation</h2>
 * Sizes up to {@link #maxSmallSize()} ({@code pageSize/2}) are rounded up to a size class (multiples
 * of 8; 8..128 in steps of 8, then four classes per doubling) and served from one-page slabs with a
 * free bitmap: a small allocation never crosses a page and is 8-byte aligned. Larger sizes get a run
 * of {@code ceil(size/pageSize)} contiguous logical pages, each mapped to its own frame (frames need
 * not be physically contiguous; see {@link #forEachChunk}). Contents of a fresh allocation are
 * unspecified. {@link #free} takes the size that was allocated; it changes heap metadata only, so it
 * never writes a frame a snapshot may share. A slab whose slots are all free and every page of a
 * freed run are unmapped at once: their frames return to the pool (or, if an open snapshot still
 * needs them, when it closes).
 *
 * <h2>Copy-on-write</h2>
 * The page table has two levels: a directory of leaves of {@value PageReader#LEAF_SIZE} frame ids.
 * {@link #freeze()} copies the directory (not the leaves) and advances the epoch; every leaf and
 * every frame stamped with an older epoch is then shared with the snapshot. Every write passes the
 * write barrier: a shared frame is copied to a fresh frame first (the snapshot's copied bytes grow by
 * the page size), and a shared leaf is copied before one of its entries changes. Reads never copy.
 * At most ONE snapshot may be open at a time: {@link #freeze()} throws {@link IllegalStateException}
 * while one is open.
 *
 * <h2>Released pages</h2>
 * The snapshot's reader may release pages it will never read again ({@link FrozenView#release}),
 * and a {@link SharedPageHandler} may take care of a page's frozen contents itself. The barrier then
 * ADOPTS a shared frame instead of copying it: it stamps the frame with the current epoch and writes
 * into it. This is safe because an old-epoch frame mapped at live page P is exactly the frame the
 * frozen directory maps at P (frames freed during a snapshot are deferred, never reused before they
 * are released or the view closes), and nobody will read P through the view again. A shared frame
 * unmapped from a released page goes straight back to the pool, and {@link #reclaimReleased()}
 * returns deferred frames whose page was released since.
 *
 * <h2>Threads</h2>
 * Confined to one owner thread (the keyspace thread), with the exception of reads of a
 * {@link FrozenView} by one other thread. Nothing in here synchronizes.
 *
 * <h2>Safety</h2>
 * Chronicle's raw memory API does not check bounds, so every native access is confined by
 * construction: addresses are translated one page at a time, each piece is clipped to its page, and
 * an unmapped page throws {@link ArenaAccessException} before any native access. With
 * {@link ArenaConfig#boundsChecks()} on, every live access is also validated against the allocation
 * it falls in (its usable size, see {@link #usableSize}) and must not touch a free slot or page.
 *
 * <h2>Metadata and the Java heap</h2>
 * Metadata is kept in primitive arrays (no object per page or per allocation), never in the arena's
 * own pages, so allocating and freeing never dirty a page a snapshot shares. The per-page, per-slab
 * and per-frame arrays are {@link BlockArrays}: 16 KiB blocks of native memory the arena owns and
 * frees in {@link #close()}, added one at a time as the arena grows (nothing is copied but a
 * directory of block addresses). They are off the Java heap because they live as long as the
 * arena: on the heap, young collections copied them until promotion, several milliseconds in the
 * first collection after a fill. What stays on the heap: the page table (directory and 4 KiB
 * leaves, read by frozen views on other threads), the chunk table and the size-class tables. The
 * steady-state read and write paths do not allocate; copying a shared leaf (once per leaf per
 * snapshot, from a pool after the first snapshot) and growing a directory do.
 */
public final class Arena implements AutoCloseable {
    private static final AtomicLong GLOBAL_NATIVE_BYTES = new AtomicLong();
    private static final AtomicLong GLOBAL_CHUNKS = new AtomicLong();

    // page kinds
    private static final byte FREE = 0;
    private static final byte SLAB = 1;
    private static final byte RUN_HEAD = 2;
    private static final byte RUN_CONT = 3;

    /** Free-extent bins: 0..63 hold extents of exactly bin+1 pages; bin 64 holds longer ones. */
    private static final int BIG_BIN = 64;
    private static final int MIN_CLASS = 8;

    private final ArenaConfig config;
    private final int pageSize;
    private final int pageShift;
    private final long pageMask;
    private final int framesPerChunk;
    private final boolean checks;
    private final PageReader live;

    // ---- frames
    @SuppressWarnings("rawtypes")
    private BytesStore[] chunkStores = new BytesStore[8];
    private long[] chunkBase = new long[8];
    private int chunkCount;
    /** Free frames (a stack), {@code framePoolSize} of them; capacity grows with the frames. */
    private final BlockArrays.Ints framePool = new BlockArrays.Ints(0, 0);
    private int framePoolSize;
    /** Epoch at which each frame was handed to the live page table. */
    private final BlockArrays.Ints frameEpoch = new BlockArrays.Ints(0, 0);
    /** The live page each frame backs, or -1 (in the pool, or kept only for the open snapshot). */
    private final BlockArrays.Ints framePage = new BlockArrays.Ints(-1, 0);
    /** Chunks whose native memory {@link #releaseFreeChunks} gave back; none of their frames is in use or pooled. */
    private boolean[] chunkReleased = new boolean[8];
    private int releasedChunks;
    /**
     * Frames unmapped from the live table (copied away or freed) that the open snapshot still
     * needs, and the logical page each one backs in the frozen table.
     */
    private final BlockArrays.Ints deferred = new BlockArrays.Ints(0, 0);
    private final BlockArrays.Ints deferredPage = new BlockArrays.Ints(0, 0);
    private int deferredSize;

    // ---- page table (live)
    private int[][] dir = new int[16][];
    private int[] leafEpoch = new int[16];
    /**
     * Leaves the last closed snapshot no longer needs (the frozen originals of leaves the live
     * table copied), reused for the next snapshot's leaf copies instead of new 4 KiB arrays: a
     * save under writes copies most leaves, ~1 MB of heap per save at 1M keys. At most
     * {@value #LEAF_POOL_MAX} are kept. Owner thread.
     */
    private final java.util.ArrayDeque<int[]> leafPool = new java.util.ArrayDeque<>();
    static final int LEAF_POOL_MAX = 1024;
    private int epoch;
    private Snapshot open;

    // ---- logical pages (metadata arrays grow by blocks, never by copying: BlockArrays)
    private final BlockArrays.Bytes pageKind = new BlockArrays.Bytes(1);
    /** SLAB: slab id; RUN_HEAD: run length; RUN_CONT: head page; FREE extent edge: extent length. */
    private final BlockArrays.Ints pageArg = new BlockArrays.Ints(0, 1);
    /** Free-extent list links, valid at the first page of each extent in a bin. */
    private final BlockArrays.Ints freeNext = new BlockArrays.Ints(0, 1);
    private final BlockArrays.Ints freePrev = new BlockArrays.Ints(0, 1);
    private final int[] binHead = new int[BIG_BIN + 1];
    private long binNonEmpty;
    /** Pages at or above {@code topPage} are free and in no bin. Page 0 is reserved. */
    private int topPage = 1;

    // ---- size classes and slabs
    private final int[] classSize;
    private final int[] classSlots;
    private final byte[] classBySize8;
    private final int maxSmall;
    private final int wordsPerSlab;
    private final int[] partialHead;
    private final BlockArrays.Ints slabPage = new BlockArrays.Ints(0, 0);
    private final BlockArrays.Ints slabClass = new BlockArrays.Ints(0, 0);
    private final BlockArrays.Ints slabFreeCount = new BlockArrays.Ints(0, 0);
    private final BlockArrays.Ints slabNext = new BlockArrays.Ints(0, 0);
    private final BlockArrays.Ints slabPrev = new BlockArrays.Ints(0, 0);
    /** Free-slot bitmap, {@code wordsPerSlab} words per slab (a power of two, so one block holds a slab's words). */
    private final BlockArrays.Longs slabBits = new BlockArrays.Longs(0);
    private final BlockArrays.Ints slabIdFree = new BlockArrays.Ints(0, 0);
    private int slabIdFreeSize;
    private int slabIdTop;
    /** Every metadata array above, for {@link #close()} and {@link #metadataBytes()}. */
    private final BlockArrays.Blocks[] metadata = {framePool, frameEpoch, framePage, deferred, deferredPage,
        pageKind, pageArg, freeNext, freePrev, slabPage, slabClass, slabFreeCount, slabNext, slabPrev, slabBits,
        slabIdFree};

    // ---- accounting
    private long usedBytes;
    private long peakUsedBytes;
    private long copiedBytesPeak;
    private long copiedBytesLast;
    private SnapshotCounters lastCounters = SnapshotCounters.NONE;
    private long lastFreezeNanos;
    private long freezes;
    private boolean closed;

    public Arena(ArenaConfig cfg) {
        this.config = Objects.requireNonNull(cfg, "cfg");
        this.pageSize = cfg.pageSize();
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.pageMask = pageSize - 1;
        this.framesPerChunk = cfg.framesPerChunk();
        this.checks = cfg.boundsChecks();
        this.live = new PageReader(pageShift, Integer.numberOfTrailingZeros(framesPerChunk), dir, chunkBase);
        Arrays.fill(binHead, -1);

        // size classes: 8..128 step 8, then 4 per doubling up to pageSize/2
        int[] sizes = new int[128];
        int n = 0;
        for (int s = 8; s <= 128; s += 8) {
            sizes[n++] = s;
        }
        for (int base = 128; base < pageSize / 2; base *= 2) {
            int step = base / 4;
            for (int k = 1; k <= 4; k++) {
                sizes[n++] = base + k * step;
            }
        }
        this.classSize = Arrays.copyOf(sizes, n);
        this.maxSmall = classSize[n - 1];
        this.classSlots = new int[n];
        for (int c = 0; c < n; c++) {
            classSlots[c] = pageSize / classSize[c];
        }
        this.classBySize8 = new byte[maxSmall / 8 + 1];
        int c = 0;
        for (int i = 1; i < classBySize8.length; i++) {
            while (classSize[c] < i * 8) {
                c++;
            }
            classBySize8[i] = (byte) c;
        }
        this.partialHead = new int[n];
        Arrays.fill(partialHead, -1);
        this.wordsPerSlab = (pageSize / MIN_CLASS + 63) / 64;
    }

    // =================================================================== allocation

    /**
     * Maps the first chunk of frames if none is mapped yet (native memory the OS commits only when
     * touched). The first chunk also loads Chronicle Bytes' classes, about 10 ms; the server calls
     * this at start-up so the first write does not pay that on the event loop. Also draws the
     * process's hash key ({@link Hashing}; a JVM's first {@code SecureRandom} takes about 25 ms) if
     * no key was hashed yet. Owner thread.
     */
    public void prepare() {
        ensureOpen();
        Hashing.hash(NO_BYTES, 0, 0);
        if (chunkCount == 0) {
            addChunk();
        }
    }

    /** Largest size served from a slab; larger sizes get page runs. */
    public int maxSmallSize() {
        return maxSmall;
    }

    /** Largest size {@link #allocate} accepts: the largest multiple of the page size below 2^31. */
    public int maxAllocationSize() {
        return Integer.MAX_VALUE & ~(int) pageMask;
    }

    private void checkSize(int size) {
        if (size <= 0 || size > maxAllocationSize()) {
            throw new IllegalArgumentException("size must be in [1, " + maxAllocationSize() + "]: " + size);
        }
    }

    /** Bytes actually reserved for a request of {@code size} bytes (size class or whole pages). */
    public int usableSize(int size) {
        checkSize(size);
        if (size <= maxSmall) {
            return classSize[classBySize8[(size + 7) >>> 3]];
        }
        return (int) (pagesFor(size) << pageShift);
    }

    private long pagesFor(int size) {
        return ((long) size + pageMask) >>> pageShift;
    }

    /**
     * Allocates {@code size} bytes and returns their logical address (never 0). Contents are
     * unspecified. Owner thread.
     */
    public long allocate(int size) {
        ensureOpen();
        checkSize(size);
        long a;
        int usable;
        if (size <= maxSmall) {
            int cls = classBySize8[(size + 7) >>> 3];
            a = allocateSmall(cls);
            usable = classSize[cls];
        } else {
            int pages = (int) pagesFor(size);
            int head = allocPages(pages);
            for (int i = 0; i < pages; i++) {
                int p = head + i;
                mapFresh(p);
                pageKind.set(p, i == 0 ? RUN_HEAD : RUN_CONT);
                pageArg.set(p, i == 0 ? pages : head);
            }
            a = (long) head << pageShift;
            usable = pages << pageShift;
        }
        usedBytes += usable;
        if (usedBytes > peakUsedBytes) {
            peakUsedBytes = usedBytes;
        }
        return a;
    }

    /**
     * Frees an allocation; {@code size} must be the size passed to {@link #allocate} (any size with
     * the same {@link #usableSize} is accepted). Changes heap metadata only. Owner thread.
     *
     * @throws IllegalArgumentException if {@code address} is not a live allocation of that size
     *     (double free included); the arena is then unchanged
     */
    public void free(long address, int size) {
        ensureOpen();
        checkSize(size);
        long pl = address >>> pageShift;
        if (address <= 0 || pl >= topPage) {
            throw badFree(address, size, "not an allocated page");
        }
        int page = (int) pl;
        int off = (int) (address & pageMask);
        if (size <= maxSmall) {
            int cls = classBySize8[(size + 7) >>> 3];
            if (pageKind.get(page) != SLAB) {
                throw badFree(address, size, "not a slab page");
            }
            int slab = pageArg.get(page);
            if (slabClass.get(slab) != cls) {
                throw badFree(address, size, "slab of class " + classSize[slabClass.get(slab)]);
            }
            int cs = classSize[cls];
            int slot = off / cs;
            if (slot * cs != off || slot >= classSlots[cls]) {
                throw badFree(address, size, "not a slot start");
            }
            int w = slab * wordsPerSlab + (slot >>> 6);
            long bit = 1L << (slot & 63);
            if ((slabBits.get(w) & bit) != 0) {
                throw badFree(address, size, "slot already free");
            }
            slabBits.set(w, slabBits.get(w) | bit);
            int free = slabFreeCount.add(slab, 1);
            usedBytes -= cs;
            if (free == classSlots[cls]) {
                if (free > 1) {
                    unlinkSlab(slab);
                }
                releaseSlab(slab);
            } else if (free == 1) {
                linkSlab(slab);
            }
        } else {
            long pages = pagesFor(size);
            if (off != 0 || pageKind.get(page) != RUN_HEAD || pageArg.get(page) != pages) {
                throw badFree(address, size, "not the head of a run of " + pages + " pages");
            }
            int n = (int) pages;
            for (int i = 0; i < n; i++) {
                unmap(page + i);
                pageKind.set(page + i, FREE);
            }
            freeExtent(page, n);
            usedBytes -= (long) n << pageShift;
        }
    }

    private static IllegalArgumentException badFree(long address, int size, String why) {
        return new IllegalArgumentException(
                "bad free of 0x" + Long.toHexString(address) + " size " + size + ": " + why);
    }

    private long allocateSmall(int cls) {
        int slab = partialHead[cls];
        if (slab < 0) {
            slab = newSlab(cls);
        }
        int slot = slabBits.takeLowestSetBit(slab * wordsPerSlab, wordsPerSlab);
        if (slot < 0) { // a slab on the partial list has a free slot: never, unless the metadata is corrupt
            throw new IllegalStateException("slab " + slab + " is on the partial list of class "
                    + classSize[cls] + " without a free slot");
        }
        if (slabFreeCount.add(slab, -1) == 0) {
            unlinkSlab(slab);
        }
        return ((long) slabPage.get(slab) << pageShift) + (long) slot * classSize[cls];
    }

    private int newSlab(int cls) {
        int slab;
        if (slabIdFreeSize > 0) {
            slab = slabIdFree.get(--slabIdFreeSize);
        } else {
            slab = slabIdTop++;
            long n = slab + 1L; // each ensureCapacity is a compare unless a block is due
            slabPage.ensureCapacity(n);
            slabClass.ensureCapacity(n);
            slabFreeCount.ensureCapacity(n);
            slabNext.ensureCapacity(n);
            slabPrev.ensureCapacity(n);
            slabBits.ensureCapacity(n * wordsPerSlab);
        }
        int page = allocPages(1);
        mapFresh(page);
        pageKind.set(page, SLAB);
        pageArg.set(page, slab);
        slabPage.set(slab, page);
        slabClass.set(slab, cls);
        int slots = classSlots[cls];
        slabFreeCount.set(slab, slots);
        int base = slab * wordsPerSlab;
        for (int i = 0; i < wordsPerSlab; i++) {
            int from = i << 6;
            long word;
            if (slots >= from + 64) {
                word = -1L;
            } else if (slots <= from) {
                word = 0L;
            } else {
                word = (1L << (slots - from)) - 1;
            }
            slabBits.set(base + i, word);
        }
        linkSlab(slab);
        return slab;
    }

    private void releaseSlab(int slab) {
        int page = slabPage.get(slab);
        unmap(page);
        pageKind.set(page, FREE);
        freeExtent(page, 1);
        slabIdFree.ensureCapacity(slabIdFreeSize + 1L);
        slabIdFree.set(slabIdFreeSize++, slab);
    }

    private void linkSlab(int slab) {
        int cls = slabClass.get(slab);
        int head = partialHead[cls];
        slabNext.set(slab, head);
        slabPrev.set(slab, -1);
        if (head >= 0) {
            slabPrev.set(head, slab);
        }
        partialHead[cls] = slab;
    }

    private void unlinkSlab(int slab) {
        int next = slabNext.get(slab);
        int prev = slabPrev.get(slab);
        if (prev >= 0) {
            slabNext.set(prev, next);
        } else {
            partialHead[slabClass.get(slab)] = next;
        }
        if (next >= 0) {
            slabPrev.set(next, prev);
        }
    }

    // ------------------------------------------------------------- logical page extents

    private static int bin(int n) {
        return n <= BIG_BIN ? n - 1 : BIG_BIN;
    }

    /** Reserves {@code n} contiguous logical pages (not yet mapped) and returns the first. */
    private int allocPages(int n) {
        int b = bin(n);
        if (b < BIG_BIN) {
            long candidates = binNonEmpty & (-1L << b);
            if (candidates != 0) {
                int found = Long.numberOfTrailingZeros(candidates);
                int s = binHead[found];
                removeExtent(s, found);
                int len = found + 1;
                if (len > n) {
                    insertExtent(s + n, len - n);
                }
                return s;
            }
        }
        for (int s = binHead[BIG_BIN]; s >= 0; s = freeNext.get(s)) {
            int len = pageArg.get(s);
            if (len >= n) {
                removeExtent(s, BIG_BIN);
                if (len > n) {
                    insertExtent(s + n, len - n);
                }
                return s;
            }
        }
        long top = (long) topPage + n;
        if (top > Integer.MAX_VALUE) {
            throw new IllegalStateException("logical address space exhausted");
        }
        int s = topPage;
        topPage = (int) top;
        ensurePageCapacity(topPage);
        return s;
    }

    /** Returns the extent {@code [s, s+n)} (all pages FREE and unmapped), coalescing neighbours. */
    private void freeExtent(int s, int n) {
        if (s > 1 && pageKind.get(s - 1) == FREE) {
            int left = pageArg.get(s - 1);
            int ls = s - left;
            removeExtent(ls, bin(left));
            s = ls;
            n += left;
        }
        int r = s + n;
        if (r < topPage && pageKind.get(r) == FREE) {
            int right = pageArg.get(r);
            removeExtent(r, bin(right));
            n += right;
        }
        if (s + n == topPage) {
            topPage = s;
        } else {
            insertExtent(s, n);
        }
    }

    private void insertExtent(int s, int n) {
        pageKind.set(s, FREE);
        pageKind.set(s + n - 1, FREE);
        pageArg.set(s, n);
        pageArg.set(s + n - 1, n);
        int b = bin(n);
        int head = binHead[b];
        freeNext.set(s, head);
        freePrev.set(s, -1);
        if (head >= 0) {
            freePrev.set(head, s);
        }
        binHead[b] = s;
        if (b < BIG_BIN) {
            binNonEmpty |= 1L << b;
        }
    }

    private void removeExtent(int s, int b) {
        int next = freeNext.get(s);
        int prev = freePrev.get(s);
        if (prev >= 0) {
            freeNext.set(prev, next);
        } else {
            binHead[b] = next;
            if (next < 0 && b < BIG_BIN) {
                binNonEmpty &= ~(1L << b);
            }
        }
        if (next >= 0) {
            freePrev.set(next, prev);
        }
    }

    private void ensurePageCapacity(int pages) {
        if (pages > pageArg.capacity()) {
            pageKind.ensureCapacity(pages);
            pageArg.ensureCapacity(pages);
            freeNext.ensureCapacity(pages);
            freePrev.ensureCapacity(pages);
        }
    }

    // ------------------------------------------------------------- frames and page table

    private int takeFrame() {
        if (framePoolSize == 0) {
            if (releasedChunks > 0) {
                remapReleasedChunk();
            } else {
                addChunk();
            }
        }
        int f = framePool.get(--framePoolSize);
        frameEpoch.set(f, epoch);
        return f;
    }

    private void addChunk() {
        if (chunkCount == chunkBase.length) {
            // the old array stays valid for a frozen view that captured it
            chunkBase = Arrays.copyOf(chunkBase, chunkCount * 2);
            chunkStores = Arrays.copyOf(chunkStores, chunkCount * 2);
            chunkReleased = Arrays.copyOf(chunkReleased, chunkCount * 2);
            live.chunkBase = chunkBase;
        }
        int c = chunkCount++;
        long total = (long) chunkCount * framesPerChunk;
        frameEpoch.ensureCapacity(total);
        framePool.ensureCapacity(total);
        framePage.ensureCapacity(total);
        mapChunk(c);
    }

    /** Allocates native memory for chunk slot {@code c} and pushes its frames into the pool. */
    private void mapChunk(int c) {
        long bytes = (long) framesPerChunk << pageShift;
        BytesStore<?, Void> store = BytesStore.lazyNativeBytesStoreWithFixedCapacity(bytes);
        chunkStores[c] = store;
        chunkBase[c] = store.addressForRead(0);
        int first = c * framesPerChunk;
        // push in reverse so frames are handed out in address order
        for (int f = first + framesPerChunk - 1; f >= first; f--) {
            framePool.set(framePoolSize++, f);
        }
        GLOBAL_NATIVE_BYTES.addAndGet(bytes);
        GLOBAL_CHUNKS.incrementAndGet();
    }

    /** Gives a chunk slot that {@link #releaseFreeChunks} emptied new native memory (pool empty). */
    private void remapReleasedChunk() {
        for (int c = 0; c < chunkCount; c++) {
            if (chunkReleased[c]) {
                chunkReleased[c] = false;
                releasedChunks--;
                mapChunk(c);
                return;
            }
        }
        throw new IllegalStateException("no released chunk to remap");
    }

    /** Scratch of {@link #releaseFreeChunks}: free frames per chunk (owner thread; reused, not reallocated per call). */
    private int[] releaseFreeIn = new int[0];
    /** Where {@link #reclaimReleased(int)} looks next among the held frames. */
    private int reclaimNext;
    /** The chunk {@link #releaseFreeChunks} is emptying, -1 when none; its free frames are not in the pool meanwhile. */
    private int evacuating = -1;
    /** The next frame of {@link #evacuating} to move out. */
    private int evacNext;
    /** Free frames of {@link #evacuating}: kept out of the pool, still counted by {@link #freeFrames()}. */
    private int evacFree;

    /** Free frames kept by {@link #releaseFreeChunks}: at least two chunks, or the frames in use divided by this. */
    static final int RESERVE_DIVISOR = 64;

    /**
     * Gives native memory back: while the pool holds more free frames than a reserve (two chunks,
     * or 1/{@value #RESERVE_DIVISOR} of the frames in use if more, so that writes right after a
     * release do not need new memory at once), moves the live pages of the chunk with the fewest of
     * them into free frames of other chunks (a 4 KiB copy each, and its page-table entry points to
     * the new frame; logical addresses do not change) and frees that chunk, at most
     * {@code maxChunks} chunks per call. Only while no snapshot is open (then no view reads these
     * frames). After a save the frames that come back to the pool are scattered among live ones,
     * so whole free chunks are rare without the moves. Owner thread; the keyspace cron calls it.
     * Returns the chunks released.
     */
    public int releaseFreeChunks(int maxChunks) {
        return releaseFreeChunks(maxChunks, Long.MAX_VALUE);
    }

    /**
     * As {@link #releaseFreeChunks(int)}, in steps that stop once {@code budgetNanos} have passed
     * since the call began (checked every 16 frames): a chunk whose pages are not all moved yet is
     * continued by the next call. Between calls the chunk being emptied keeps its free frames out
     * of the pool (so nothing is allocated in it; {@link #freeFrames()} still counts them), a page
     * of it that is freed meanwhile leaves its frame there too, and {@link #freeze} puts its free
     * frames back in the pool and abandons it (the pages already moved stay moved). The keyspace
     * cron gives each call 300 µs: right after a save, two whole chunks per tick had taken 1-3 ms
     * of the event loop (docs/benchmarks-cow.md, session 16). Returns the chunks freed.
     */
    public int releaseFreeChunks(int maxChunks, long budgetNanos) {
        if (open != null || closed) {
            return 0;
        }
        int fpc = framesPerChunk;
        long start = System.nanoTime();
        int released = 0;
        int[] freeIn = null;
        int steps = 0;
        while (released < maxChunks) {
            if (evacuating < 0) {
                // moves do not change the frames in use, so neither does the reserve
                long reserve = Math.max(2L * fpc, framesInUse() / RESERVE_DIVISOR);
                if (framePoolSize - (long) fpc < reserve) {
                    break; // the common path: nothing to give back
                }
                if (freeIn == null) {
                    freeIn = countFreeFramesPerChunk(); // once per call, then kept up to date below
                }
                int v = -1;
                for (int c = 0; c < chunkCount; c++) {
                    if (!chunkReleased[c] && (v < 0 || freeIn[c] > freeIn[v])) {
                        v = c;
                    }
                }
                if (v < 0) {
                    break;
                }
                beginEvacuation(v, fpc - freeIn[v]);
                freeIn[v] = 0;
            }
            int hi = (evacuating + 1) * fpc;
            while (evacNext < hi) {
                int f = evacNext;
                int page = framePage.get(f);
                if (page >= 0) {
                    if (framePoolSize == 0) {
                        return released; // no free frame to move it to now: the next call goes on
                    }
                    int nf = framePool.get(--framePoolSize);
                    if (freeIn != null) {
                        freeIn[nf / fpc]--;
                    }
                    PageReader.MEM.copyMemory(live.frameAddress(f), live.frameAddress(nf), (long) pageSize);
                    writableLeaf(page >>> PageReader.LEAF_SHIFT)[page & PageReader.LEAF_MASK] = nf;
                    frameEpoch.set(nf, epoch);
                    framePage.set(nf, page);
                    framePage.set(f, -1);
                    evacFree++;
                }
                evacNext++;
                if ((++steps & 15) == 0 && System.nanoTime() - start >= budgetNanos) {
                    return released;
                }
            }
            finishEvacuation();
            released++;
            if (System.nanoTime() - start >= budgetNanos) {
                break;
            }
        }
        return released;
    }

    /** Free frames in the pool per chunk slot (a scratch array reused across calls). */
    private int[] countFreeFramesPerChunk() {
        if (releaseFreeIn.length < chunkCount) {
            releaseFreeIn = new int[chunkCount];
        } else {
            Arrays.fill(releaseFreeIn, 0, chunkCount, 0);
        }
        for (int i = 0; i < framePoolSize; i++) {
            releaseFreeIn[framePool.get(i) / framesPerChunk]++;
        }
        return releaseFreeIn;
    }

    /**
     * Starts emptying chunk {@code v}, which has {@code liveInV} mapped frames: its free frames
     * leave the pool, so no page is put in it while its live pages move out.
     */
    private void beginEvacuation(int v, int liveInV) {
        int lo = v * framesPerChunk;
        int hi = lo + framesPerChunk;
        int mapped = 0;
        for (int f = lo; f < hi; f++) {
            if (framePage.get(f) >= 0) {
                mapped++;
            }
        }
        if (mapped != liveInV) { // checked before anything changes: a mismatch would be a bug, not a state to repair
            throw new IllegalStateException("chunk " + v + ": " + mapped + " mapped frames, expected " + liveInV);
        }
        int n = 0;
        for (int i = 0; i < framePoolSize; i++) {
            int f = framePool.get(i);
            if (f < lo || f >= hi) {
                framePool.set(n++, f);
            }
        }
        evacFree = framePoolSize - n;
        framePoolSize = n;
        evacuating = v;
        evacNext = lo;
    }

    /** Frees the chunk being emptied, all of whose frames are free now. */
    private void finishEvacuation() {
        int v = evacuating;
        if (evacFree != framesPerChunk) {
            throw new IllegalStateException("chunk " + v + " emptied with " + evacFree + " of " + framesPerChunk
                    + " frames free");
        }
        chunkStores[v].releaseLast();
        chunkStores[v] = null;
        chunkBase[v] = 0;
        chunkReleased[v] = true;
        releasedChunks++;
        evacuating = -1;
        evacFree = 0;
        GLOBAL_NATIVE_BYTES.addAndGet(-((long) framesPerChunk << pageShift));
        GLOBAL_CHUNKS.decrementAndGet();
    }

    /** Gives the free frames of a chunk being emptied back to the pool and stops emptying it (freeze). */
    private void abandonEvacuation() {
        int v = evacuating;
        if (v < 0) {
            return;
        }
        int lo = v * framesPerChunk;
        int returned = 0;
        for (int f = lo; f < lo + framesPerChunk; f++) {
            if (framePage.get(f) < 0) {
                framePool.set(framePoolSize++, f);
                returned++;
            }
        }
        if (returned != evacFree) {
            throw new IllegalStateException("chunk " + v + ": " + returned + " free frames, expected " + evacFree);
        }
        evacuating = -1;
        evacFree = 0;
    }

    /** The live leaf for directory slot {@code di}, created or un-shared so it may be modified. */
    private int[] writableLeaf(int di) {
        if (di >= dir.length) {
            int cap = dir.length;
            while (cap <= di) {
                cap *= 2;
            }
            dir = Arrays.copyOf(dir, cap);
            leafEpoch = Arrays.copyOf(leafEpoch, cap);
            live.dir = dir;
        }
        int[] leaf = dir[di];
        if (leaf == null) {
            leaf = new int[PageReader.LEAF_SIZE];
            Arrays.fill(leaf, PageReader.UNMAPPED);
            dir[di] = leaf;
            leafEpoch[di] = epoch;
        } else if (open != null && leafEpoch[di] != epoch) {
            int[] copy = leafPool.poll();
            if (copy == null) {
                copy = leaf.clone();
            } else {
                System.arraycopy(leaf, 0, copy, 0, PageReader.LEAF_SIZE);
            }
            leaf = copy;
            dir[di] = leaf;
            leafEpoch[di] = epoch;
        }
        return leaf;
    }

    private void mapFresh(int page) {
        int f = takeFrame();
        writableLeaf(page >>> PageReader.LEAF_SHIFT)[page & PageReader.LEAF_MASK] = f;
        framePage.set(f, page);
    }

    private void unmap(int page) {
        int[] leaf = writableLeaf(page >>> PageReader.LEAF_SHIFT);
        int li = page & PageReader.LEAF_MASK;
        int f = leaf[li];
        leaf[li] = PageReader.UNMAPPED;
        framePage.set(f, -1);
        releaseFrame(page, f);
    }

    /** Frame {@code f}, just unmapped from live page {@code page}: to the pool unless the snapshot needs it. */
    private void releaseFrame(int page, int f) {
        Snapshot s = open;
        if (s != null && frameEpoch.get(f) != epoch && !s.isReleased(page)) {
            defer(f, page);
        } else if (evacuating >= 0 && f / framesPerChunk == evacuating) {
            evacFree++; // in the chunk being emptied: stays out of the pool (no snapshot is open then)
        } else {
            framePool.set(framePoolSize++, f);
        }
    }

    /** Keeps shared frame {@code f} (the frozen table maps {@code page} to it) until released or closed. */
    private void defer(int f, int page) {
        deferred.ensureCapacity(deferredSize + 1L);
        deferredPage.ensureCapacity(deferredSize + 1L);
        deferred.set(deferredSize, f);
        deferredPage.set(deferredSize, page);
        deferredSize++;
        open.held(deferredSize);
    }

    /**
     * Returns to the pool every frame kept for the open snapshot whose page the snapshot has
     * released since (see {@link FrozenView#release}), lowering the memory a long save holds.
     * Owner thread; O(frames held). Returns the frames reclaimed.
     */
    public int reclaimReleased() {
        return reclaimReleased(Integer.MAX_VALUE);
    }

    /**
     * As {@link #reclaimReleased()}, looking at no more than {@code maxChecks} held frames (nor more
     * than are held), from where the last call stopped (a held frame found released is replaced by
     * the last one, which is looked at next). The keyspace cron calls this every tick during a save: one pass over
     * 25,000 held frames took 0.5-1 ms of the event loop (docs/benchmarks-cow.md, session 16).
     */
    public int reclaimReleased(int maxChecks) {
        Snapshot s = open;
        if (s == null || s.released == null) {
            return 0;
        }
        int reclaimed = 0;
        if (maxChecks >= deferredSize) {
            reclaimNext = 0; // a whole pass: from the start, every held frame is looked at exactly once
        }
        int checks = Math.min(maxChecks, deferredSize); // one pass at most
        for (int k = 0; k < checks && deferredSize > 0; k++) {
            if (reclaimNext >= deferredSize) {
                reclaimNext = 0;
            }
            int i = reclaimNext;
            if (s.isReleased(deferredPage.get(i))) {
                framePool.set(framePoolSize++, deferred.get(i));
                int last = --deferredSize;
                deferred.set(i, deferred.get(last));
                deferredPage.set(i, deferredPage.get(last));
                reclaimed++;
            } else {
                reclaimNext++;
            }
        }
        s.held(deferredSize);
        return reclaimed;
    }

    /**
     * The write barrier: native address for writing at {@code a} (valid to the end of its page).
     * A frame still shared with the open snapshot is first copied to a fresh frame.
     */
    private long writeAddress(long a) {
        int f = live.frameOf(a);
        if (open != null && frameEpoch.get(f) != epoch) {
            f = copyOnWrite((int) (a >>> pageShift), f);
        }
        return live.frameAddress(f) + (a & pageMask);
    }

    /**
     * The barrier's slow path, for a frame the open snapshot shares: adopt it when the snapshot
     * released the page or the handler preserved it, else copy it to a fresh frame.
     */
    private int copyOnWrite(int page, int shared) {
        Snapshot s = open;
        if (s.isReleased(page) || s.preserve(page)) {
            frameEpoch.set(shared, epoch);
            s.adopted++;
            return shared;
        }
        int[] leaf = writableLeaf(page >>> PageReader.LEAF_SHIFT);
        int f = takeFrame();
        PageReader.MEM.copyMemory(live.frameAddress(shared), live.frameAddress(f), (long) pageSize);
        leaf[page & PageReader.LEAF_MASK] = f;
        framePage.set(f, page);
        framePage.set(shared, -1);
        defer(shared, page);
        long c = s.copied + pageSize;
        s.copied = c;
        if (c > copiedBytesPeak) {
            copiedBytesPeak = c;
        }
        return f;
    }

    // =================================================================== bounds checks

    private void check(long a, int len) {
        if (len < 0) {
            throw new ArenaAccessException("negative length " + len);
        }
        if (!checks || len == 0) {
            return;
        }
        long pl = a >>> pageShift;
        if (a <= 0 || pl >= topPage) {
            throw outside(a, len, "no allocation");
        }
        int page = (int) pl;
        switch (pageKind.get(page)) {
            case SLAB: {
                int slab = pageArg.get(page);
                int cs = classSize[slabClass.get(slab)];
                int off = (int) (a & pageMask);
                int slot = off / cs;
                if (slot >= classSlots[slabClass.get(slab)]) {
                    throw outside(a, len, "slab tail");
                }
                if ((slabBits.get(slab * wordsPerSlab + (slot >>> 6)) & (1L << (slot & 63))) != 0) {
                    throw outside(a, len, "free slot");
                }
                if (off - slot * cs + (long) len > cs) {
                    throw outside(a, len, "beyond slot of " + cs + " bytes");
                }
                return;
            }
            case RUN_HEAD:
            case RUN_CONT: {
                int head = pageKind.get(page) == RUN_HEAD ? page : pageArg.get(page);
                long end = (long) (head + pageArg.get(head)) << pageShift;
                if (a + len > end) {
                    throw outside(a, len, "beyond run end 0x" + Long.toHexString(end));
                }
                return;
            }
            default:
                throw outside(a, len, "free page");
        }
    }

    private static ArenaAccessException outside(long a, int len, String why) {
        return new ArenaAccessException(
                "access [0x" + Long.toHexString(a) + ", +" + len + ") outside allocations: " + why);
    }

    // =================================================================== reads

    public byte readByte(long a) {
        check(a, 1);
        return live.readByte(a);
    }

    public short readShort(long a) {
        check(a, 2);
        return live.readShort(a);
    }

    public int readInt(long a) {
        check(a, 4);
        return live.readInt(a);
    }

    public long readLong(long a) {
        check(a, 8);
        return live.readLong(a);
    }

    /** Copies {@code len} bytes at {@code a} (may span the pages of a run) into {@code dst}. */
    public void read(long a, byte[] dst, int off, int len) {
        check(a, len);
        live.read(a, dst, off, len);
    }

    /** Whether the {@code len} bytes at {@code a} equal {@code src[off, off+len)}; no copy. */
    public boolean equalsBytes(long a, byte[] src, int off, int len) {
        check(a, len);
        return live.equalsBytes(a, src, off, len);
    }

    /** Hash of the {@code len} bytes at {@code a}; equals {@link #hash(byte[], int, int)} of the same bytes. */
    public long hash(long a, int len) {
        check(a, len);
        return live.hash(a, len);
    }

    /** The live side's reader (tests run its hash with other keys and round counts). */
    PageReader reader() {
        return live;
    }

    /** The arena's hash function over a heap array. */
    public static long hash(byte[] b, int off, int len) {
        return Hashing.hash(b, off, len);
    }

    /**
     * Calls {@code c} with each physically contiguous native piece of {@code [a, a+len)}, in order
     * (adjacent frames are merged). The pieces may be read (e.g. copied into a Netty buffer) during
     * the call only, and must not be written.
     */
    public void forEachChunk(long a, int len, NativeChunkConsumer c) {
        check(a, len);
        live.forEachChunk(a, len, c);
    }

    // =================================================================== writes

    public void writeByte(long a, byte v) {
        check(a, 1);
        PageReader.MEM.writeByte(writeAddress(a), v);
    }

    public void writeShort(long a, short v) {
        check(a, 2);
        if (live.inPage(a) >= 2) {
            PageReader.MEM.writeShort(writeAddress(a), PageReader.NATIVE_LE ? v : Short.reverseBytes(v));
        } else {
            writeSlow(a, v, 2);
        }
    }

    public void writeInt(long a, int v) {
        check(a, 4);
        if (live.inPage(a) >= 4) {
            PageReader.MEM.writeInt(writeAddress(a), PageReader.NATIVE_LE ? v : Integer.reverseBytes(v));
        } else {
            writeSlow(a, v, 4);
        }
    }

    public void writeLong(long a, long v) {
        check(a, 8);
        if (live.inPage(a) >= 8) {
            PageReader.MEM.writeLong(writeAddress(a), PageReader.NATIVE_LE ? v : Long.reverseBytes(v));
        } else {
            writeSlow(a, v, 8);
        }
    }

    private void writeSlow(long a, long v, int width) {
        // translate every page first so a failure leaves memory unchanged
        live.frameOf(a);
        live.frameOf(a + width - 1);
        for (int i = 0; i < width; i++) {
            PageReader.MEM.writeByte(writeAddress(a + i), (byte) (v >>> (8 * i)));
        }
    }

    /** Writes {@code src[off, off+len)} at {@code a} (may span the pages of a run). */
    public void write(long a, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        check(a, len);
        while (len > 0) {
            int piece = Math.min(len, live.inPage(a));
            PageReader.MEM.writeBytes(writeAddress(a), src, off, piece);
            a += piece;
            off += piece;
            len -= piece;
        }
    }

    /**
     * Writes the {@code len} bytes of native memory at {@code src} (outside the arena, e.g. a big
     * request argument) at {@code a} (may span the pages of a run).
     */
    public void writeNative(long a, long src, int len) {
        check(a, len);
        while (len > 0) {
            int piece = Math.min(len, live.inPage(a));
            PageReader.MEM.copyMemory(src, writeAddress(a), (long) piece);
            a += piece;
            src += piece;
            len -= piece;
        }
    }

    /** Sets {@code len} bytes at {@code a} to {@code v}. */
    public void fill(long a, int len, byte v) {
        check(a, len);
        while (len > 0) {
            int piece = Math.min(len, live.inPage(a));
            PageReader.MEM.setMemory(writeAddress(a), piece, v);
            a += piece;
            len -= piece;
        }
    }

    /** Copies {@code len} bytes from {@code src} to {@code dst}; the ranges may overlap (memmove). */
    public void copy(long src, long dst, int len) {
        check(src, len);
        check(dst, len);
        if (len == 0 || src == dst) {
            return;
        }
        if (dst > src && dst < src + len) {
            // backwards, in pieces that stay within one page on both sides
            long se = src + len;
            long de = dst + len;
            while (len > 0) {
                int sp = (int) ((se - 1) & pageMask) + 1;
                int dp = (int) ((de - 1) & pageMask) + 1;
                int piece = Math.min(len, Math.min(sp, dp));
                se -= piece;
                de -= piece;
                long nd = writeAddress(de);
                long ns = live.nativeAddress(se);
                PageReader.MEM.copyMemory(ns, nd, (long) piece);
                len -= piece;
            }
        } else {
            while (len > 0) {
                int piece = Math.min(len, Math.min(live.inPage(src), live.inPage(dst)));
                long nd = writeAddress(dst);
                long ns = live.nativeAddress(src);
                PageReader.MEM.copyMemory(ns, nd, (long) piece);
                src += piece;
                dst += piece;
                len -= piece;
            }
        }
    }

    // =================================================================== snapshots

    /**
     * Freezes the current contents: copies the page-table directory (O(directory), not O(pages)) and
     * makes every existing leaf and frame shared with the returned view. Owner thread.
     *
     * @throws IllegalStateException if a snapshot is already open or the arena is closed
     */
    public FrozenView freeze() {
        return freeze(0L);
    }

    /**
     * As {@link #freeze()}, recording {@code root} (e.g. the address of the keyspace's root block) in
     * the view as {@link FrozenView#root()}, so the reader knows where to start.
     */
    public FrozenView freeze(long root) {
        ensureOpen();
        if (open != null) {
            throw new IllegalStateException("a snapshot is already open; only one at a time is supported");
        }
        abandonEvacuation(); // the snapshot may share the rest of its pages: moving them would copy them
        long t0 = System.nanoTime();
        epoch++;
        int used = (topPage + PageReader.LEAF_MASK) >>> PageReader.LEAF_SHIFT;
        int[][] frozenDir = Arrays.copyOf(dir, Math.min(used, dir.length));
        Snapshot s = new Snapshot(new PageReader(pageShift, live.chunkShift, frozenDir, chunkBase), epoch, root,
                topPage);
        open = s;
        freezes++;
        lastFreezeNanos = System.nanoTime() - t0;
        return s;
    }

    /** Duration of the last {@link #freeze()} in nanoseconds ({@code latest_fork_usec} counterpart). */
    public long lastFreezeNanos() {
        return lastFreezeNanos;
    }

    private void closeSnapshot(Snapshot s, int[][] frozenDir) {
        if (open != s) {
            return;
        }
        // a frozen leaf the live table replaced is referenced by nothing else now
        for (int di = 0; di < frozenDir.length && leafPool.size() < LEAF_POOL_MAX; di++) {
            int[] frozen = frozenDir[di];
            if (frozen != null && (di >= dir.length || dir[di] != frozen)) {
                leafPool.push(frozen);
            }
        }
        for (int i = 0; i < deferredSize; i++) {
            framePool.set(framePoolSize++, deferred.get(i));
        }
        deferredSize = 0;
        s.held(0);
        copiedBytesLast = s.copied;
        lastCounters = s.counters();
        s.handler = null;
        open = null;
    }

    private static final int[][] NO_LEAVES = new int[0][];
    private static final byte[] NO_BYTES = new byte[0];
    private static final VarHandle RELEASED;
    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(Snapshot.class, "released", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The open snapshot. Counters are written by the owner only (single writer, volatile so that
     * INFO and the snapshot thread can read them); the released-page bitset is set by the reader
     * (and by the owner for pages a handler preserved) with atomic ORs.
     */
    private final class Snapshot implements FrozenView {
        private final PageReader reader;
        private final int snapshotEpoch;
        private final long root;
        private final int pages;
        private final Thread owner = Thread.currentThread();
        volatile long copied;
        volatile long adopted;
        volatile long preserved;
        private volatile long heldFrames;
        private volatile long heldFramesPeak;
        /** One bit per page in [0, pages): released. Allocated on the first release, published by CAS. */
        volatile long[] released;
        /** Owner thread only. */
        SharedPageHandler handler;
        private volatile boolean viewClosed;

        Snapshot(PageReader reader, int snapshotEpoch, long root, int pages) {
            this.reader = reader;
            this.snapshotEpoch = snapshotEpoch;
            this.root = root;
            this.pages = pages;
        }

        /** Owner: the number of frames now held only for this view. */
        void held(long frames) {
            heldFrames = frames;
            // Math.max, not an if: a branch here is one the first save takes in the direction
            // the start-up exercise may not have (a trap on the keyspace thread, SavePathPrimer)
            heldFramesPeak = Math.max(heldFramesPeak, frames);
        }

        /** Owner: asks the handler to preserve a shared page; on success the page counts as released. */
        boolean preserve(int page) {
            SharedPageHandler h = handler;
            if (h == null || page >= pages) {
                return false;
            }
            boolean ok;
            try {
                ok = h.preserve(page);
            } catch (RuntimeException e) {
                ok = false; // the handler's contract: it records its own failure
            }
            if (ok) {
                release(page);
                preserved++;
            }
            return ok;
        }

        @Override
        public int pages() {
            return pages;
        }

        @Override
        public void release(int page) {
            if (page < 0 || page >= pages) {
                throw new IllegalArgumentException("page " + page + " outside [0, " + pages + ")");
            }
            long[] bits = released;
            if (bits == null) {
                long[] fresh = new long[(pages + 63) >>> 6];
                bits = (long[]) RELEASED.compareAndExchange(this, (long[]) null, fresh);
                if (bits == null) {
                    bits = fresh;
                }
            }
            BITS.getAndBitwiseOrRelease(bits, page >>> 6, 1L << page);
        }

        @Override
        public boolean isReleased(int page) {
            long[] bits = released;
            if (bits == null || page < 0 || page >= pages) {
                return false;
            }
            return ((long) BITS.getAcquire(bits, page >>> 6) & (1L << page)) != 0;
        }

        @Override
        public void sharedPageHandler(SharedPageHandler h) {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("the shared-page handler is set on the arena's owner thread");
            }
            if (!viewClosed) {
                handler = h;
            }
        }

        @Override
        public SnapshotCounters counters() {
            return new SnapshotCounters(copied, adopted, preserved, heldFrames * reader.pageSize,
                    heldFramesPeak * reader.pageSize);
        }

        @Override
        public long root() {
            return root;
        }

        @Override
        public byte readByte(long address) {
            return reader.readByte(address);
        }

        @Override
        public short readShort(long address) {
            return reader.readShort(address);
        }

        @Override
        public int readInt(long address) {
            return reader.readInt(address);
        }

        @Override
        public long readLong(long address) {
            return reader.readLong(address);
        }

        @Override
        public void read(long address, byte[] dst, int off, int len) {
            reader.read(address, dst, off, len);
        }

        @Override
        public boolean equalsBytes(long address, byte[] src, int off, int len) {
            return reader.equalsBytes(address, src, off, len);
        }

        @Override
        public long hash(long address, int len) {
            return reader.hash(address, len);
        }

        @Override
        public void forEachChunk(long address, int len, NativeChunkConsumer consumer) {
            reader.forEachChunk(address, len, consumer);
        }

        @Override
        public int pageSize() {
            return reader.pageSize;
        }

        @Override
        public long copiedBytes() {
            return copied;
        }

        @Override
        public boolean isClosed() {
            return viewClosed;
        }

        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a frozen view must be closed on the arena's owner thread");
            }
            if (viewClosed) {
                return;
            }
            viewClosed = true;
            // later reads throw instead of reading frames (and leaves) that may be reused
            int[][] frozenDir = reader.dir;
            reader.dir = NO_LEAVES;
            if (!closed) {
                closeSnapshot(this, frozenDir);
            }
        }

        @Override
        public String toString() {
            return "FrozenView[epoch=" + snapshotEpoch + ", copiedBytes=" + copied + ", closed=" + viewClosed + "]";
        }
    }

    // =================================================================== accounting

    public int pageSize() {
        return pageSize;
    }

    public ArenaConfig config() {
        return config;
    }

    public long usedBytes() {
        return usedBytes;
    }

    public long peakUsedBytes() {
        return peakUsedBytes;
    }

    /** Frames with native memory (chunks released by {@link #releaseFreeChunks} not counted). */
    public long totalFrames() {
        return (long) (chunkCount - releasedChunks) * framesPerChunk;
    }

    /** The chunk {@link #releaseFreeChunks} is emptying in steps, -1 when none (tests). */
    int evacuatingChunk() {
        return evacuating;
    }

    /** Frames without a page: the pool, plus the free frames of a chunk being emptied. */
    public long freeFrames() {
        return framePoolSize + evacFree;
    }

    public long framesInUse() {
        return totalFrames() - freeFrames();
    }

    public long framesHeldForSnapshot() {
        return deferredSize;
    }

    public long nativeBytesReserved() {
        return totalFrames() << pageShift;
    }

    public long copiedBytesCurrent() {
        Snapshot s = open;
        return s == null ? 0 : s.copied;
    }

    public long copiedBytesPeak() {
        return copiedBytesPeak;
    }

    public long copiedBytesLast() {
        return copiedBytesLast;
    }

    /** The open snapshot's counters so far, or {@link SnapshotCounters#NONE}. */
    public SnapshotCounters snapshotCountersCurrent() {
        Snapshot s = open;
        return s == null ? SnapshotCounters.NONE : s.counters();
    }

    /** The counters of the last closed snapshot (final values). */
    public SnapshotCounters snapshotCountersLast() {
        return lastCounters;
    }

    public boolean snapshotOpen() {
        return open != null;
    }

    public boolean isClosed() {
        return closed;
    }

    public ArenaStats stats() {
        return new ArenaStats(pageSize, usedBytes, peakUsedBytes, framesInUse(), deferredSize, freeFrames(),
                totalFrames(), nativeBytesReserved(), copiedBytesCurrent(), copiedBytesPeak, copiedBytesLast,
                open != null, lastFreezeNanos, freezes, snapshotCountersCurrent(), lastCounters);
    }

    /** Native bytes currently reserved by all arenas of this JVM (leak checks in tests). */
    public static long globalNativeBytesReserved() {
        return GLOBAL_NATIVE_BYTES.get();
    }

    /** Native chunks currently held by all arenas of this JVM (leak checks in tests). */
    public static long globalChunks() {
        return GLOBAL_CHUNKS.get();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("arena is closed");
        }
    }

    /**
     * Frees all native memory. Idempotent. Owner thread.
     *
     * @throws IllegalStateException if a frozen view is still open (another thread may be reading
     *     its frames; close the view first)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (open != null) {
            throw new IllegalStateException("close the open frozen view before closing the arena");
        }
        closed = true;
        live.dir = new int[0][];
        live.chunkBase = new long[0];
        dir = new int[0][];
        long bytes = (long) framesPerChunk << pageShift;
        for (int i = 0; i < chunkCount; i++) {
            if (chunkStores[i] == null) {
                continue; // released earlier
            }
            chunkStores[i].releaseLast();
            chunkStores[i] = null;
            GLOBAL_NATIVE_BYTES.addAndGet(-bytes);
            GLOBAL_CHUNKS.decrementAndGet();
        }
        chunkCount = 0;
        framePoolSize = 0;
        deferredSize = 0;
        usedBytes = 0;
        topPage = 1; // no page is allocated: checked accesses fail as outside any allocation
        for (BlockArrays.Blocks m : metadata) {
            m.free();
        }
    }

    /** Native bytes of this arena's metadata arrays (INFO {@code arena_metadata_bytes}). */
    public long metadataBytes() {
        long n = 0;
        for (BlockArrays.Blocks m : metadata) {
            n += m.nativeBytes();
        }
        return n;
    }

    /** Native bytes of the metadata arrays of all arenas not yet closed (for leak checks). */
    public static long globalMetadataBytes() {
        return BlockArrays.outstandingBytes();
    }

    @Override
    public String toString() {
        return "Arena[" + stats() + "]";
    }
}
