package io.cowkv.server.keyspace;

import io.cowkv.server.memory.FrozenView;
import io.cowkv.server.memory.NativeInts;
import io.cowkv.server.memory.NativeLongs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The snapshot walk in address order (see {@link FrozenKeyspace#forEachInAddressOrder}): one
 * instance per frozen keyspace, run once, on the snapshot thread, plus the keyspace thread's side
 * of the page claims.
 *
 * <p>Phase 1 collects every record of every database's frozen dictionary (both tables while
 * rehashing): each record's address packed with its database ordinal goes into one {@code long[]}
 * (8 bytes per key, no object per key), and each logical page gets a reference count: one for each
 * record whose bytes lie on it and one for each page of an external value. Phase 1 runs while
 * every write still copies, so it is built for speed: the bucket tables are read sequentially, in
 * bulk, for the chain heads; the heads are grouped by page (a counting sort, two linear passes)
 * and their headers read page after page (mostly sequential memory, instead of one cache and TLB
 * miss per record); the chain successors found there are grouped and read the same way, level
 * after level; a last counting sort groups everything by page and gives each page's range in the
 * index. Every page with no reference (bucket tables, free slots, empty pages) is then released at
 * once: phase 2 never reads it. Phase 2 visits the records page by page, in increasing page order
 * (within a page in any order) and, after each record, drops its references; a page is released
 * when its count reaches 0, so the write barrier adopts it instead of copying.
 *
 * <p>Writer side (with a {@link FrozenKeyspace.PageSerializer}): a page is <em>small-only</em>
 * when every record touching it lies entirely on it and has an inline or integer value (no
 * external value, no record longer than the page): its records can be serialized from that page
 * alone. Once phase 1 is done the walk is published ({@link Publisher}); from then on, when the
 * write barrier is about to copy a small-only page that is still shared and unreleased, the
 * keyspace thread calls {@link #serializeOnWriter}: it claims the page (CAS 0 -> 2 in
 * {@link #claims}), finds its records through {@link #pageEnd}, reads them through the frozen view (the page is untouched: the write is
 * waiting for the barrier), hands them to the serializer and lets the barrier adopt the frame.
 * Phase 2 claims each small-only page (CAS 0 -> 1) before reading any of its records and skips
 * the records of a page the keyspace thread won. The CAS is the only point of contention; the
 * published fields ({@link #index}, {@link #pageEnd}, {@link #shape}, the ordinals) are not written after
 * publication, and the volatile publication orders them before the keyspace thread's reads.
 *
 * <p>Memory while it runs: {@code 8 * keys} bytes for the index (twice that during phase 1, for
 * the counting sort) and {@code 8} bytes per logical page (count, range end), in native memory
 * ({@link NativeLongs}, {@link NativeInts}: on the heap these were humongous objects whose
 * allocation started a G1 cycle in every save); on the heap {@code 2} bytes per logical page
 * (shape, claim), one bit per page inside the arena's view and the keyspace thread's two
 * page-sized record buffers. The owner ({@code Keyspace.Frozen}) calls
 * {@link #free} when the view closes, on the keyspace thread, when neither thread can read the
 * index any more.
 */
final class AddressOrderedWalk {
    /** Shapes: no record lies on the page (yet), small-only, or touched by a long record / external value. */
    private static final byte NONE = 0;
    private static final byte SMALL = 1;
    private static final byte MIXED = 2;
    /** Claims. */
    private static final byte FREE = 0;
    private static final byte BY_WALK = 1;
    private static final byte BY_WRITER = 2;
    private static final VarHandle CLAIM = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Where the walk makes itself visible to the keyspace thread (a volatile field). */
    interface Publisher {
        void publish(AddressOrderedWalk walk);
    }

    private final FrozenView view;
    private final long[][] roots;
    private final int pageShift;
    private final FrozenRecordReader reader;
    private final FrozenKeyspace.PageSerializer writerSide;

    /** {@code (address >>> 3) << dbBits | ordinal}, grouped by page in increasing page order. */
    private NativeLongs index;
    private int count;
    /** Scratch of the counting sort (phase 1 only). */
    private NativeLongs scratch;
    /**
     * Per page, then: the end (exclusive) of its records in {@link #index}, so page {@code p}'s
     * records are {@code [p == 0 ? 0 : pageEnd[p - 1], pageEnd[p])}.
     */
    private NativeInts pageEnd;
    private int dbBits;
    private long dbMask;
    /** Database number of each ordinal (the non-empty databases, ascending). */
    private int[] dbOfOrdinal;
    /** Snapshot thread only. */
    private final byte[] tableBuffer = new byte[16 * 1024];
    private NativeInts refs;
    private byte[] shape;
    private byte[] claims;
    /** Keyspace thread only (created before publication). */
    private FrozenRecordReader writerReader;
    private long pagesTakenByWriter;
    private long indexNanos;

    /** Duration of phase 1 (index, counts, first releases); snapshot thread, after it. */
    long indexNanos() {
        return indexNanos;
    }

    AddressOrderedWalk(FrozenView view, long[][] roots, FrozenKeyspace.PageSerializer writerSide) {
        this.view = view;
        this.roots = roots;
        this.pageShift = Integer.numberOfTrailingZeros(view.pageSize());
        this.reader = new FrozenRecordReader(view);
        reader.streamFrom = Keyspace.STREAM_VALUES_FROM;
        this.writerSide = writerSide;
    }

    /**
     * Runs both phases; see {@link FrozenKeyspace#forEachInAddressOrder}. Snapshot thread. With a
     * writer side, publishes itself between the phases and unpublishes itself (null) at the end.
     * Returns the number of pages the keyspace thread took.
     */
    long run(FrozenKeyspace.OrderedVisitor visitor, Publisher publisher) {
        long t0 = System.nanoTime();
        collect(visitor);
        releaseUnreferenced(visitor);
        indexNanos = System.nanoTime() - t0;
        if (writerSide == null) {
            visitInOrder(visitor);
            return 0;
        }
        claims = new byte[shape.length];
        writerReader = new FrozenRecordReader(view, view.pageSize());
        publisher.publish(this);
        try {
            visitInOrder(visitor);
        } finally {
            publisher.publish(null);
        }
        return pagesTakenByWriter;
    }

    // ------------------------------------------------------------------ phase 1

    /** Phase 1; ticks {@code progress}'s {@link FrozenKeyspace.OrderedVisitor#checkpoint} as it goes. */
    private void collect(FrozenKeyspace.OrderedVisitor progress) {
        int pages = view.pages();
        refs = new NativeInts(pages);
        shape = new byte[pages];
        long keys = 0;
        int nonEmpty = 0;
        for (long[] r : roots) {
            keys += r[5];
            if (r[1] != 0) {
                nonEmpty++;
            }
        }
        if (keys > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("too many keys for one sorted index: " + keys);
        }
        long maxShifted = ((long) pages << pageShift) >>> 3;
        int addrBits = 64 - Long.numberOfLeadingZeros(maxShifted);
        dbBits = Math.min(31, 63 - addrBits);
        if (nonEmpty > (1L << dbBits)) {
            throw new IllegalStateException(nonEmpty + " non-empty databases do not fit the sorted index");
        }
        dbMask = (1L << dbBits) - 1;
        dbOfOrdinal = new int[nonEmpty];
        index = new NativeLongs(Math.max(16, keys));
        count = 0;
        int ordinal = 0;
        for (int db = 0; db < roots.length; db++) {
            long[] r = roots[db];
            int size0 = (int) r[1];
            if (size0 == 0) {
                continue;
            }
            dbOfOrdinal[ordinal] = db;
            int rehashIdx = (int) r[4];
            collectHeads(r[0], size0, Math.max(0, rehashIdx), ordinal, progress);
            if (rehashIdx >= 0) {
                collectHeads(r[2], (int) r[3], 0, ordinal, progress);
            }
            ordinal++;
        }
        // level by level: group the records found last by page, read their headers page after
        // page, append their chain successors
        scratch = new NativeLongs(index.length());
        pageEnd = new NativeInts(pages);
        int from = 0;
        while (from < count) {
            int to = count;
            groupByPage(from, to, progress);
            for (int i = from; i < to; i++) {
                progress.checkpoint();
                long x = index.get(i);
                long e = address(x);
                long next = reader.readExtent(e);
                addRefs(e, +1);
                markShape(e);
                if (next != 0) {
                    add(next, (int) (x & dbMask));
                }
            }
            from = to;
        }
        groupByPage(0, count, progress); // pageEnd now holds each page's range
        scratch.free();
        scratch = null;
    }

    /**
     * Sorts {@code index[from, to)} by address: a counting sort by page, then a sort within each
     * page (a few records each), so memory is read in ascending order. Leaves in
     * {@link #pageEnd} the end of each page's records (absolute positions in {@link #index}).
     */
    private void groupByPage(int from, int to, FrozenKeyspace.OrderedVisitor progress) {
        NativeInts end = pageEnd;
        end.fill(0);
        int shift = dbBits + pageShift - 3;
        for (int i = from; i < to; i++) {
            progress.checkpoint();
            end.add((int) (index.get(i) >>> shift), 1);
        }
        int pos = from;
        int pages = end.length();
        for (int p = 0; p < pages; p++) {
            progress.checkpoint();
            int n = end.get(p);
            end.set(p, pos); // start, for now
            pos += n;
        }
        if (scratch.length() < to) {
            scratch.free();
            scratch = new NativeLongs(index.length());
        }
        NativeLongs out = scratch;
        for (int i = from; i < to; i++) {
            progress.checkpoint();
            long x = index.get(i);
            int p = (int) (x >>> shift);
            out.set(end.get(p), x);
            end.add(p, 1); // start advances to the end
        }
        int start = from;
        for (int p = 0; p < pages; p++) {
            progress.checkpoint();
            int stop = end.get(p);
            if (stop - start > 1) {
                out.sort(start, stop); // an insertion sort for a handful of records
            }
            start = stop;
        }
        out.copyTo(from, index, from, to - from);
    }

    /** Adds the chain heads of buckets {@code [from, size)} of a frozen table, read in bulk. */
    private void collectHeads(long table, int size, int from, int ordinal, FrozenKeyspace.OrderedVisitor progress) {
        byte[] buf = tableBuffer;
        int perRead = buf.length / 8;
        for (int i = from; i < size; i += perRead) {
            progress.checkpoint();
            int n = Math.min(perRead, size - i);
            view.read(table + i * 8L, buf, 0, n * 8);
            for (int k = 0; k < n; k++) {
                long e = (long) LONG_LE.get(buf, k * 8);
                if (e != 0) {
                    add(e, ordinal);
                }
            }
        }
    }

    private void add(long record, int ordinal) {
        if (count == index.length()) {
            index.grow(Math.max(16, count * 2L));
            if (scratch != null) {
                scratch.free();
                scratch = new NativeLongs(index.length());
            }
        }
        index.set(count++, (record >>> 3) << dbBits | ordinal);
    }

    /** Records the shape of the pages the record just read by the reader touches. */
    private void markShape(long e) {
        int first = (int) (e >>> pageShift);
        int last = (int) ((reader.recordEnd - 1) >>> pageShift);
        long va = reader.externalValue;
        if (first == last && va == 0) {
            if (shape[first] == NONE) {
                shape[first] = SMALL;
            }
            return;
        }
        for (int p = first; p <= last; p++) {
            shape[p] = MIXED;
        }
        if (va != 0) {
            int vLast = (int) ((va + reader.valueLen - 1) >>> pageShift);
            for (int p = (int) (va >>> pageShift); p <= vLast; p++) {
                shape[p] = MIXED;
            }
        }
    }

    /**
     * Adds {@code delta} to the count of every page the record just read by the reader touches;
     * with a negative delta, releases each page whose count falls to 0.
     */
    private void addRefs(long e, int delta) {
        addRange(e, reader.recordEnd, delta);
        long va = reader.externalValue;
        if (va != 0) {
            addRange(va, va + reader.valueLen, delta);
        }
    }

    private void addRange(long from, long to, int delta) {
        int last = (int) ((to - 1) >>> pageShift);
        for (int p = (int) (from >>> pageShift); p <= last; p++) {
            int n = refs.add(p, delta);
            if (n == 0 && delta < 0) {
                view.release(p);
            }
        }
    }

    private void releaseUnreferenced(FrozenKeyspace.OrderedVisitor progress) {
        int pages = refs.length();
        for (int p = 0; p < pages; p++) {
            progress.checkpoint();
            if (refs.get(p) == 0) {
                view.release(p);
            }
        }
    }

    // ------------------------------------------------------------------ phase 2

    private void visitInOrder(FrozenKeyspace.OrderedVisitor visitor) {
        int i = 0;
        while (i < count) {
            int page = (int) (address(index.get(i)) >>> pageShift);
            int end = pageEnd.get(page);
            if (claims != null && shape[page] == SMALL && !CLAIM.compareAndSet(claims, page, FREE, BY_WALK)) {
                // the keyspace thread serialized this page: skip its records
                pagesTakenByWriter++;
                i = end;
                continue;
            }
            for (; i < end; i++) {
                long x = index.get(i);
                long e = address(x);
                reader.read(e);
                if (reader.streamed) {
                    visitor.largeString(dbOfOrdinal[(int) (x & dbMask)], reader.key, reader.keyLen, reader.valueLen,
                            reader::readValue, reader.expireAt);
                } else {
                    visitor.string(dbOfOrdinal[(int) (x & dbMask)], reader.key, reader.keyLen, reader.value,
                            reader.valueLen, reader.expireAt);
                }
                addRefs(e, -1);
            }
        }
    }

    /**
     * Frees the native index, the per-page arrays (and the phase-1 scratch if phase 1 failed).
     * Keyspace thread, when the view closes: the snapshot thread has finished and the walk is no
     * longer published. Idempotent.
     */
    void free() {
        if (index != null) {
            index.free();
        }
        if (scratch != null) {
            scratch.free();
        }
        if (refs != null) {
            refs.free();
        }
        if (pageEnd != null) {
            pageEnd.free();
        }
    }

    private long address(long x) {
        return (x >>> dbBits) << 3;
    }

    // ------------------------------------------------------------------ keyspace thread

    /**
     * The write barrier is about to copy {@code page}: serialize its frozen records to the writer
     * side instead, if the page is small-only, the writer side has room and the claim is won.
     * Returns true when the page's records were handed over (the barrier may adopt the frame).
     * Keyspace thread only, after publication; never blocks.
     */
    boolean serializeOnWriter(int page) {
        if (page >= shape.length || shape[page] != SMALL || !writerSide.canTakePage()) {
            return false;
        }
        if (!CLAIM.compareAndSet(claims, page, FREE, BY_WRITER)) {
            return false; // the walk is reading it (or has): copy, or it is released already
        }
        try {
            writerSide.beginPage(page);
            int i = page == 0 ? 0 : pageEnd.get(page - 1);
            int end = pageEnd.get(page);
            FrozenRecordReader r = writerReader;
            for (; i < end; i++) {
                long x = index.get(i);
                r.read(address(x));
                writerSide.string(dbOfOrdinal[(int) (x & dbMask)], r.key, r.keyLen, r.value, r.valueLen, r.expireAt);
            }
            writerSide.endPage();
            return true;
        } catch (RuntimeException | Error e) {
            writerSide.failed(e);
            return false;
        }
    }
}
