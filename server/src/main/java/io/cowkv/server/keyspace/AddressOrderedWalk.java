package io.cowkv.server.keyspace;

import io.cowkv.server.memory.FrozenView;

import java.util.Arrays;

/**
 * The snapshot walk in address order (see {@link FrozenKeyspace#forEachInAddressOrder}): one
 * instance per frozen keyspace, run once, on the snapshot thread.
 *
 * <p>Phase 1 walks every database's frozen dictionary (both tables while rehashing) and collects
 * each record's address packed with its database ordinal into one {@code long[]} (8 bytes per key,
 * no object per key), plus a reference count per logical page: one for each record whose bytes lie
 * on it and one for each page of an external value. The addresses are sorted, and every page with
 * no reference (bucket tables, free slots, empty pages) is released at once: phase 2 never reads
 * it. Phase 2 visits the records in address order and, after each record, drops its references;
 * a page is released when its count reaches 0, so the write barrier adopts it instead of copying.
 *
 * <p>Memory while it runs: {@code 8 * keys} bytes for the sorted index plus {@code 4} bytes per
 * logical page for the counts (plus one bit per page inside the arena's view); all on the heap,
 * dropped when the walk returns.
 */
final class AddressOrderedWalk {
    private final FrozenView view;
    private final long[][] roots;
    private final int pageShift;
    private final FrozenRecordReader reader;

    /** Sorted: {@code (address >>> 3) << dbBits | ordinal}. */
    private long[] index;
    private int count;
    private int dbBits;
    private long dbMask;
    /** Database number of each ordinal (the non-empty databases, ascending). */
    private int[] dbOfOrdinal;
    private int[] refs;

    AddressOrderedWalk(FrozenView view, long[][] roots) {
        this.view = view;
        this.roots = roots;
        this.pageShift = Integer.numberOfTrailingZeros(view.pageSize());
        this.reader = new FrozenRecordReader(view);
    }

    /** Runs both phases; see {@link FrozenKeyspace#forEachInAddressOrder}. Snapshot thread. */
    void run(FrozenKeyspace.OrderedVisitor visitor) {
        collect();
        releaseUnreferenced();
        visitInOrder(visitor);
    }

    // ------------------------------------------------------------------ phase 1

    private void collect() {
        int pages = view.pages();
        refs = new int[pages];
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
        index = new long[(int) keys];
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
            collectTable(r[0], size0, Math.max(0, rehashIdx), ordinal);
            if (rehashIdx >= 0) {
                collectTable(r[2], (int) r[3], 0, ordinal);
            }
            ordinal++;
        }
        Arrays.sort(index, 0, count);
    }

    private void collectTable(long table, int size, int from, int ordinal) {
        for (int i = from; i < size; i++) {
            long e = view.readLong(table + i * 8L);
            while (e != 0) {
                long next = reader.readExtent(e);
                addRefs(e, +1);
                if (count == index.length) {
                    index = Arrays.copyOf(index, Math.max(16, count * 2));
                }
                index[count++] = (e >>> 3) << dbBits | ordinal;
                e = next;
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
            int n = refs[p] += delta;
            if (n == 0 && delta < 0) {
                view.release(p);
            }
        }
    }

    private void releaseUnreferenced() {
        for (int p = 0; p < refs.length; p++) {
            if (refs[p] == 0) {
                view.release(p);
            }
        }
    }

    // ------------------------------------------------------------------ phase 2

    private void visitInOrder(FrozenKeyspace.OrderedVisitor visitor) {
        for (int i = 0; i < count; i++) {
            long x = index[i];
            long e = (x >>> dbBits) << 3;
            reader.read(e);
            visitor.string(dbOfOrdinal[(int) (x & dbMask)], reader.key, reader.keyLen, reader.value, reader.valueLen,
                    reader.expireAt);
            addRefs(e, -1);
        }
    }
}
