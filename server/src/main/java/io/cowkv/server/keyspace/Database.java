package io.cowkv.server.keyspace;

import io.cowkv.server.memory.Arena;
import io.cowkv.server.util.Numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.cowkv.server.keyspace.EntryLayout.*;

/**
 * One of the numbered databases: a chained hash dictionary whose bucket tables and records all
 * live in the keyspace's {@link Arena}, with Redis's incremental rehashing and resize rules.
 *
 * <p>Only the roots are on the heap: the two tables' addresses and sizes, the rehash index and
 * counters; a freeze copies these few numbers (see {@link Keyspace#freeze()}), so a frozen view
 * holds the whole database. During a rehash, buckets of table 0 below {@code rehashIdx} have been
 * moved to table 1 and are never read again (their slots are left as they were, so moving a bucket
 * dirties table 1 only): look-ups, SCAN and frozen walks all skip them.
 *
 * <p>Resizing: grow when the load factor reaches 1, but while a snapshot is open only when it
 * passes 5 (a resize dirties many pages), as Redis does with a fork child; shrink from the cron
 * when under 10% full. Contract: keyspace thread only. Key and value slices passed in are copied.
 */
public final class Database {
    private static final int INITIAL_SIZE = 4;
    private static final int FORCE_RESIZE_RATIO = 5;
    private static final int MAX_TABLE_SIZE = 1 << 27;

    private final int id;
    private final KeyspaceStats stats;
    private final Clock clock;
    private final Arena arena;
    private final Entry view;

    // roots (copied by a freeze)
    long t0;
    int size0;
    long t1;
    int size1;
    int rehashIdx = -1;
    long used;
    long expires;

    private long avgTtl;
    private int expireCursor;

    // results of the last find()
    private long foundPrev;
    private int foundTable;
    private int foundBucket;
    /** Hash of the key of the last find() (found or not): an insert of that key links with it. */
    private long foundHash;

    private final LruClock lru;

    Database(int id, KeyspaceStats stats, Clock clock, Arena arena, LruClock lru) {
        this.lru = lru;
        this.id = id;
        this.stats = stats;
        this.clock = clock;
        this.arena = arena;
        this.view = new Entry(arena);
    }

    public int id() {
        return id;
    }

    public long size() {
        return used;
    }

    /** Number of keys with an expire time. */
    public long expires() {
        return expires;
    }

    // =============================================================== look-up

    /** The record of key {@code k}, or 0; sets foundPrev/foundTable/foundBucket and foundHash. No expiry check. */
    private long find(byte[] k, int off, int len) {
        long h = Arena.hash(k, off, len);
        foundHash = h;
        if (used == 0) {
            return 0;
        }
        if (rehashIdx >= 0 && canRehash()) {
            if (rehashCredit > 0) {
                rehashCredit--; // moved ahead of time by rehashAhead
            } else {
                rehashStep(1);
            }
        }
        for (int t = 0; t <= 1; t++) {
            long table = t == 0 ? t0 : t1;
            int size = t == 0 ? size0 : size1;
            int idx = (int) (h & (size - 1));
            if (t == 1 || idx >= rehashIdx) {
                long prev = 0;
                long e = arena.readLong(table + idx * 8L);
                while (e != 0) {
                    long mk = arena.readLong(e + META); // meta and keyLen in one load
                    if (keyLen(mk) == len && arena.equalsBytes(e + keyOffset((int) mk), k, off, len)) {
                        foundPrev = prev;
                        foundTable = t;
                        foundBucket = idx;
                        return e;
                    }
                    prev = e;
                    e = readNext(arena, e);
                }
            }
            if (rehashIdx < 0) {
                break;
            }
        }
        return 0;
    }

    // =============================================================== cache warm-up

    /** The hash of key {@code k[off, off+len)} that {@link #slotAddress} and {@link #secondSlotAddress} take. */
    public static long keyHash(byte[] k, int off, int len) {
        return Arena.hash(k, off, len);
    }

    /**
     * Cache warm-up, step 1 of 3 (used for pipelined batches, see {@code Dispatcher.prefetch}): the
     * arena address of the bucket slot a lookup of a key with hash {@code h} ({@link #keyHash})
     * reads first, or 0 when the database is empty. Computes only (no arena access). Step 2 is
     * {@link #readSlot}, step 3 {@link #touchRecord}. A lookup's memory loads depend on each other (slot, then record);
     * doing each step for all keys of a batch before the next lets the CPU overlap the cache misses
     * of different keys instead of paying them one after another. None of the steps changes
     * anything (no rehash step, no statistics, no expiry); keyspace thread. Best effort: while a
     * rehash runs, a key added since it started may sit in the new table although its old bucket
     * is not yet moved; the warm-up then loads the old bucket, which costs a later cache miss only.
     */
    public long slotAddress(long h) {
        if (used == 0) {
            return 0;
        }
        int idx = (int) (h & (size0 - 1));
        if (rehashIdx >= 0 && idx < rehashIdx) {
            return t1 + (h & (size1 - 1)) * 8L;
        }
        return t0 + idx * 8L;
    }

    /**
     * Cache warm-up, step 1 for the second table: while a rehash runs, the address of the slot in
     * table 1 that a look-up of a key with hash {@code h} also searches (and where its insert links
     * the record) when its table-0 bucket has not moved yet; 0 otherwise.
     */
    public long secondSlotAddress(long h) {
        if (rehashIdx < 0 || used == 0) {
            return 0;
        }
        return (int) (h & (size0 - 1)) >= rehashIdx ? t1 + (h & (size1 - 1)) * 8L : 0;
    }

    /** True while an incremental rehash is in progress (tests). */
    boolean rehashing() {
        return rehashIdx >= 0;
    }

    /** Cache warm-up, step 2: the first record of the bucket at {@code slot} ({@link #slotAddress}; 0 gives 0). */
    public long readSlot(long slot) {
        return slot == 0 ? 0 : arena.readLong(slot);
    }

    /**
     * Cache warm-up, step 3: loads the cache lines a key comparison reads of record {@code rec} (from {@link #readSlot};
     * 0 is ignored) and returns a value derived from them, which the caller must consume so the
     * loads are not optimized away. Reads only inside the record's allocation.
     */
    public long touchRecord(long rec) {
        if (rec == 0) {
            return 0;
        }
        return arena.readLong(rec + META) ^ arena.readLong(rec + EXPIRE); // bytes 8-23: meta, key length, the key's start
    }

    /**
     * Finds a live key for reading, deleting it first if its time has passed (lazy expiry), and
     * counts a keyspace hit or miss. Returns null when absent.
     */
    public Entry lookupRead(byte[] k, int off, int len) {
        Entry e = lookup(k, off, len);
        if (e == null) {
            stats.keyspaceMisses++;
        } else {
            stats.keyspaceHits++;
        }
        return e;
    }

    /** Finds a live key (lazy expiry applied) and updates its access time. */
    public Entry lookup(byte[] k, int off, int len) {
        long e = live(k, off, len);
        if (e == 0) {
            return null;
        }
        if (!arena.snapshotOpen()) {
            // Like Redis with a fork child, skip the LRU write during a snapshot: it would copy the
            // page. Otherwise write only when the second changed (most reads then write nothing).
            int now = lru.now();
            int m = arena.readInt(e + META);
            if (EntryLayout.lru(m) != now) {
                arena.writeInt(e + META, withLru(m, now));
            }
        }
        return view.at(e);
    }

    public Entry lookup(byte[] k) {
        return lookup(k, 0, k.length);
    }

    /** Finds a live key (lazy expiry applied) without updating its access time (OBJECT). */
    public Entry peek(byte[] k, int off, int len) {
        long e = live(k, off, len);
        return e == 0 ? null : view.at(e);
    }

    /**
     * The entry of key {@code k} as stored, even when its TTL has passed: no lazy expiry, no access.
     * MEMORY USAGE looks keys up this way, as Redis's {@code dictFind}.
     */
    public Entry peekStored(byte[] k, int off, int len) {
        long e = find(k, off, len);
        return e == 0 ? null : view.at(e);
    }

    /**
     * MEMORY USAGE of the entry just returned: the arena bytes its key holds, that is its record's
     * allocation, a value's own allocation and its bucket slot (Redis counts the key's and value's
     * allocations and its dict entry).
     */
    public long memoryUsage(Entry e) {
        long rec = e.addr;
        long mk = arena.readLong(rec + META);
        int m = (int) mk;
        int vlen = EntryLayout.isInt(m) ? 0 : readValueLen(arena, rec, m);
        long bytes = arena.usableSize(recordSize(m, keyLen(mk), vlen)) + 8L;
        if (external(m)) {
            bytes += arena.usableSize(arena.readInt(rec + capacityOffset(m)));
        }
        return bytes;
    }

    /** Bytes of this database's bucket tables (both while rehashing): MEMORY STATS overhead.hashtable.main. */
    public long tableBytes() {
        return (size0 + (long) size1) * 8L;
    }

    /**
     * {@link #peek} that counts a keyspace hit or miss: Redis's lookupKeyReadWithFlags with
     * LOOKUP_NOTOUCH, which SCAN's TYPE filter uses.
     */
    public Entry peekRead(byte[] k) {
        Entry e = peek(k, 0, k.length);
        if (e == null) {
            stats.keyspaceMisses++;
        } else {
            stats.keyspaceHits++;
        }
        return e;
    }

    /** find() plus lazy expiry. */
    private long live(byte[] k, int off, int len) {
        long e = find(k, off, len);
        if (e == 0) {
            return 0;
        }
        long at = expireOf(e);
        if (at != Entry.NO_EXPIRE && at <= clock.millis()) {
            unlinkFound(e);
            stats.expiredKeys++;
            return 0;
        }
        return e;
    }

    // =============================================================== writes

    /** Stores a string value (int-encoded when canonical), replacing any value; clears the TTL unless {@code keepTtl}. */
    public Entry setString(byte[] k, int off, int len, byte[] v, int voff, int vlen, boolean keepTtl) {
        return setString(k, off, len, v, voff, vlen, keepTtl, Entry.AUTO, Entry.NO_EXPIRE);
    }

    /** As {@link #setString(byte[], int, int, byte[], int, int, boolean, int, long)} with no new TTL. */
    public Entry setString(byte[] k, int off, int len, byte[] v, int voff, int vlen, boolean keepTtl, int mode) {
        return setString(k, off, len, v, voff, vlen, keepTtl, mode, Entry.NO_EXPIRE);
    }

    private final long[] tmp = new long[1];

    /**
     * Stores a string value with an explicit encoding choice: {@link Entry#AUTO} (int when the
     * bytes are a canonical integer, as SET), {@link Entry#NO_INT} (never int, as INCRBYFLOAT
     * results) or {@link Entry#RAW} (as APPEND and SETRANGE results). The key keeps its TTL when
     * {@code keepTtl}, else gets {@code expireAt} (absolute ms, or {@link Entry#NO_EXPIRE}); giving
     * the TTL here rather than by a later {@link #setExpire} saves moving a new record to a larger
     * allocation. Returns the stored entry.
     */
    public Entry setString(byte[] k, int off, int len, byte[] v, int voff, int vlen, boolean keepTtl, int mode,
                           long expireAt) {
        if (mode == Entry.AUTO && vlen <= 20 && Numbers.parseLong(v, voff, vlen, tmp)) {
            return setLong(k, off, len, tmp[0], keepTtl, expireAt);
        }
        int enc = mode == Entry.RAW || vlen > EMBSTR_MAX ? ENC_RAW : ENC_EMBSTR;
        long old = live(k, off, len);
        int om = old == 0 ? 0 : arena.readInt(old + META);
        long oldExpire = old == 0 ? Entry.NO_EXPIRE : expireOf(old, om);
        long newExpire = keepTtl ? oldExpire : expireAt;
        boolean ttl = newExpire != Entry.NO_EXPIRE;
        if (old != 0) {
            int hdr = keyOffset(om);
            if (inline(om) && (hasExpire(om) || !ttl) && fitsInline(hdr, len, vlen, arena.maxSmallSize())) {
                int oldLen = readValueLen(arena, old, om);
                if (arena.usableSize(hdr + len + oldLen) == arena.usableSize(hdr + len + vlen)) {
                    // Same allocation size: overwrite in place (one page touched).
                    writeValueLen(arena, old, om, vlen);
                    arena.write(old + hdr + len, v, voff, vlen);
                    finishOverwrite(old, withEncoding(om, enc), oldExpire, newExpire);
                    return view.at(old);
                }
            }
        }
        return storeNew(k, off, len, v, voff, 0, vlen, enc, old, oldExpire, newExpire);
    }

    /**
     * As {@link #setString(byte[], int, int, byte[], int, int, boolean, int, long)} in
     * {@link Entry#AUTO} mode for a value of {@code vlen} bytes in native memory at {@code src} (a
     * big argument received off the heap, see {@code CommandArgs}): copied straight into the
     * arena. Such a value is never an integer.
     */
    public Entry setStringNative(byte[] k, int off, int len, long src, int vlen, boolean keepTtl, long expireAt) {
        long old = live(k, off, len);
        int om = old == 0 ? 0 : arena.readInt(old + META);
        long oldExpire = old == 0 ? Entry.NO_EXPIRE : expireOf(old, om);
        long newExpire = keepTtl ? oldExpire : expireAt;
        int enc = vlen > EMBSTR_MAX ? ENC_RAW : ENC_EMBSTR;
        return storeNew(k, off, len, null, 0, src, vlen, enc, old, oldExpire, newExpire);
    }

    /**
     * Writes a new string record for key {@code k} (replacing {@code old}, 0 when none) whose value
     * is {@code v[voff, voff+vlen)}, or when {@code v} is null the native bytes at {@code src}.
     */
    private Entry storeNew(byte[] k, int off, int len, byte[] v, int voff, long src, int vlen, int enc,
                           long old, long oldExpire, long newExpire) {
        boolean ttl = newExpire != Entry.NO_EXPIRE;
        boolean inline = fitsInline(headerSize(false, false, ttl), len, vlen, arena.maxSmallSize());
        int m = EntryLayout.meta(STRING, enc, !inline, ttl, lru.now());
        long rec = arena.allocate(recordSize(m, len, vlen));
        writeHeader(rec, m, k, off, len, inline ? vlen : 0, newExpire);
        if (inline) {
            putBytes(rec + keyOffset(m) + len, v, voff, src, vlen);
        } else {
            putBytes(newExternalValue(rec, m, vlen, Math.max(1, vlen)), v, voff, src, vlen);
        }
        return place(rec, old, oldExpire, newExpire);
    }

    /**
     * Stores an empty raw string for key {@code k} with room for {@code capacity} bytes, replacing
     * any value, with {@code expireAt} (absolute ms or {@link Entry#NO_EXPIRE}): {@link #writeAt}
     * then fills it in order without moving it. For values loaded a piece at a time (a dump's
     * values too large for the heap).
     */
    public Entry reserveString(byte[] k, int off, int len, int capacity, long expireAt) {
        long old = live(k, off, len);
        long oldExpire = old == 0 ? Entry.NO_EXPIRE : expireOf(old, arena.readInt(old + META));
        int m = EntryLayout.meta(STRING, ENC_RAW, true, expireAt != Entry.NO_EXPIRE, lru.now());
        long rec = arena.allocate(recordSize(m, len, 0));
        writeHeader(rec, m, k, off, len, 0, expireAt);
        newExternalValue(rec, m, 0, Math.max(1, capacity));
        return place(rec, old, oldExpire, expireAt);
    }

    /**
     * Gives the new record {@code rec} (meta {@code m}, EXTERNAL) a value allocation of {@code cap}
     * bytes whose first {@code len} bytes the caller writes; returns the allocation's address.
     */
    private long newExternalValue(long rec, int m, int len, int cap) {
        long va = arena.allocate(cap);
        arena.writeLong(rec + value8Offset(m), va);
        writeValueLen(arena, rec, m, len);
        arena.writeInt(rec + capacityOffset(m), cap);
        return va;
    }

    /** Writes {@code n} bytes at arena address {@code a}: {@code v[voff, voff+n)}, or when {@code v} is null the native bytes at {@code src}. */
    private void putBytes(long a, byte[] v, int voff, long src, int n) {
        if (n == 0) {
            return;
        }
        if (v != null) {
            arena.write(a, v, voff, n);
        } else {
            arena.writeNative(a, src, n);
        }
    }

    private static final int STRING = ValueType.STRING.ordinal();

    /**
     * Whether an integer written now may be Redis's shared object for 0-9999 (OBJECT REFCOUNT
     * 2147483647). Redis shares none while maxmemory is set with an LRU or LFU policy
     * (MAXMEMORY_FLAG_NO_SHARED_INTEGERS: each object needs its own access time); decided when
     * the value is written, as Redis decides when it makes the object. Set by
     * {@link Keyspace#shareIntegers}.
     */
    boolean shareIntegers = true;

    /**
     * INCR's fast path: stores {@code v} in place in {@code e} when it is int-encoded, keeping its
     * TTL, and returns true; returns false and changes nothing otherwise. {@code e} must come from a
     * lookup in this database with no write in between (the flyweight still names a live record).
     */
    public boolean setLongInPlace(Entry e, long v) {
        long rec = e.addr;
        int m = arena.readInt(rec + META);
        if (!EntryLayout.isInt(m)) {
            return false;
        }
        arena.writeLong(rec + value8Offset(m), v);
        long exp = expireOf(rec, m);
        finishOverwrite(rec, EntryLayout.withPrivateInt(m, !shareIntegers), exp, exp);
        return true;
    }

    /**
     * APPEND of {@code b[off, off+len)} to the string value of the key just looked up as
     * {@code e}; see {@link #writeAt}. Returns the new length.
     */
    public long append(Entry e, byte[] b, int off, int len) {
        return writeAt(e, e.stringLength(), b, off, len);
    }

    /**
     * SETRANGE/APPEND: writes {@code b[off, off+len)} at byte {@code at} of the string value of the
     * key just looked up as {@code e} (a live string entry of this database, no write in between),
     * zero-filling any gap past the current end. Amortized O(len), as Redis's sdsMakeRoomFor: an
     * external value grows in place while its allocation has room, and when it must move it gets
     * room to spare (twice its length up to 1 MiB, then 1 MiB more); an inline value grows in place
     * within its size class. Nothing is copied to the heap (except the digits of an int-encoded
     * value, which first become a raw value). The result is reported as "raw"; the TTL is kept.
     * Returns the new length; the caller checks it against proto-max-bulk-len first.
     */
    public long writeAt(Entry e, long at, byte[] b, int off, int len) {
        return writeAt(e, at, b, off, 0, len);
    }

    /** As {@link #writeAt(Entry, long, byte[], int, int)} with the {@code len} bytes in native memory at {@code src}. */
    public long writeAtNative(Entry e, long at, long src, int len) {
        return writeAt(e, at, null, 0, src, len);
    }

    /** {@link #writeAt}'s work; the bytes are {@code b[off, off+len)}, or when {@code b} is null the native bytes at {@code src}. */
    private long writeAt(Entry e, long at, byte[] b, int off, long src, int len) {
        long rec = e.addr;
        int m = arena.readInt(rec + META);
        if (EntryLayout.isInt(m)) {
            // The digits (at most 20 bytes) become a raw value first, then the raw path below
            // writes: a far offset (SETRANGE k 536870911 x) is zero-filled in the arena, never
            // built on the heap.
            byte[] digits = e.stringBytes();
            byte[] k = e.key();
            Entry raw = setString(k, 0, k.length, digits, 0, digits.length, true, Entry.RAW);
            return writeAt(raw, at, b, off, src, len);
        }
        int keyLen = readKeyLen(arena, rec);
        int vlen = readValueLen(arena, rec, m);
        long newLen = Math.max(vlen, at + len);
        long exp = expireOf(rec, m);
        if (external(m)) {
            long va = arena.readLong(rec + value8Offset(m));
            int cap = arena.readInt(rec + capacityOffset(m));
            if (newLen > cap) {
                int newCap = growCapacity(newLen);
                long nva = arena.allocate(newCap);
                arena.copy(va, nva, vlen);
                arena.free(va, cap);
                va = nva;
                arena.writeLong(rec + value8Offset(m), va);
                arena.writeInt(rec + capacityOffset(m), newCap);
            }
            writeValueBytes(va, vlen, at, b, off, src, len);
            writeValueLen(arena, rec, m, (int) newLen);
            finishOverwrite(rec, withEncoding(m, ENC_RAW), exp, exp);
            return newLen;
        }
        int hdr = keyOffset(m);
        if (arena.usableSize(hdr + keyLen + vlen) >= hdr + keyLen + newLen && newLen <= INLINE_MAX_LENGTH) {
            writeValueBytes(rec + hdr + keyLen, vlen, at, b, off, src, len);
            writeValueLen(arena, rec, m, (int) newLen);
            finishOverwrite(rec, withEncoding(m, ENC_RAW), exp, exp);
            return newLen;
        }
        // Outgrows its record: the value moves to its own allocation with room to spare.
        boolean ttl = hasExpire(m);
        int nm = EntryLayout.meta(STRING, ENC_RAW, true, ttl, lru.now());
        long n = arena.allocate(recordSize(nm, keyLen, 0));
        writeMetaWord(n, nm, keyLen, 0);
        if (ttl) {
            arena.writeLong(n + EXPIRE, exp);
        }
        arena.copy(rec + hdr, n + keyOffset(nm), keyLen);
        long va = newExternalValue(n, nm, (int) newLen, growCapacity(newLen));
        arena.copy(rec + hdr + keyLen, va, vlen);
        writeValueBytes(va, vlen, at, b, off, src, len);
        moveRecord(e, n, recordSize(m, keyLen, vlen));
        return newLen;
    }

    /** Writes {@code len} bytes (see {@link #putBytes}) at byte {@code at} of a value of {@code vlen} bytes at {@code va}, zero-filling a gap. */
    private void writeValueBytes(long va, int vlen, long at, byte[] b, int off, long src, int len) {
        if (at > vlen) {
            arena.fill(va + vlen, (int) (at - vlen), (byte) 0);
        }
        putBytes(va + at, b, off, src, len);
    }

    /** Redis's sdsMakeRoomFor greed: double below 1 MiB, then 1 MiB more; within the arena's largest allocation. */
    private int growCapacity(long needed) {
        long cap = needed < (1 << 20) ? needed * 2 : needed + (1 << 20);
        return (int) Math.max(needed, Math.min(cap, arena.maxAllocationSize()));
    }

    /** Stores an integer as a string value (Redis's "int" encoding), keeping the TTL when {@code keepTtl}. */
    public Entry setLong(byte[] k, int off, int len, long v, boolean keepTtl) {
        return setLong(k, off, len, v, keepTtl, Entry.NO_EXPIRE);
    }

    /** As above; without {@code keepTtl} the key gets {@code expireAt} (or {@link Entry#NO_EXPIRE}). */
    public Entry setLong(byte[] k, int off, int len, long v, boolean keepTtl, long expireAt) {
        long old = live(k, off, len);
        int om = old == 0 ? 0 : arena.readInt(old + META);
        long oldExpire = old == 0 ? Entry.NO_EXPIRE : expireOf(old, om);
        long newExpire = keepTtl ? oldExpire : expireAt;
        boolean ttl = newExpire != Entry.NO_EXPIRE;
        if (old != 0) {
            if (EntryLayout.isInt(om) && (hasExpire(om) || !ttl)) {
                arena.writeLong(old + value8Offset(om), v);
                finishOverwrite(old, EntryLayout.withPrivateInt(om, !shareIntegers), oldExpire, newExpire);
                return view.at(old);
            }
        }
        int m = EntryLayout.withPrivateInt(EntryLayout.meta(STRING, ENC_INT, false, ttl, lru.now()), !shareIntegers);
        long rec = arena.allocate(recordSize(m, len, 0));
        writeHeader(rec, m, k, off, len, 0, newExpire);
        arena.writeLong(rec + value8Offset(m), v);
        return place(rec, old, oldExpire, newExpire);
    }

    /**
     * Writes meta, lengths (an inline string's value length too), expireAt (when the meta has the
     * field) and the key of a new record.
     */
    private void writeHeader(long rec, int m, byte[] k, int off, int len, int inlineValueLen, long expireAt) {
        writeMetaWord(rec, m, len, inlineValueLen);
        if (hasExpire(m)) {
            arena.writeLong(rec + EXPIRE, expireAt);
        }
        arena.write(rec + keyOffset(m), k, off, len);
    }

    /** The fixed part after the chain link: meta and lengths (see {@link EntryLayout#metaWord}), in one write. */
    private void writeMetaWord(long rec, int m, int keyLen, int inlineValueLen) {
        arena.writeLong(rec + META, metaWord(m, keyLen, inlineValueLen));
    }

    /**
     * Puts new record {@code n} (already filled in) in the chain place of the record {@code e}
     * names, frees that record's own allocation ({@code oldSize} bytes; an external value it
     * pointed to now belongs to {@code n}) and points {@code e} at {@code n}.
     */
    private void moveRecord(Entry e, long n, int oldSize) {
        long old = e.addr;
        replaceInChain(old, n);
        arena.free(old, oldSize);
        e.at(n);
    }

    /**
     * Ends an in-place overwrite of {@code rec}: its meta becomes {@code m} (with a fresh LRU stamp
     * unless a snapshot is open), its TTL goes from {@code oldExpire} to {@code newExpire} (the
     * record has the field whenever {@code newExpire} is set).
     */
    private void finishOverwrite(long rec, int m, long oldExpire, long newExpire) {
        if (oldExpire != newExpire) {
            arena.writeLong(rec + EXPIRE, newExpire);
            countExpireChange(oldExpire, newExpire);
        }
        if (!arena.snapshotOpen()) {
            m = withLru(m, lru.now());
        }
        if (m != arena.readInt(rec + META)) {
            arena.writeInt(rec + META, m);
        }
    }

    private void countExpireChange(long oldExpire, long newExpire) {
        if (oldExpire == Entry.NO_EXPIRE && newExpire != Entry.NO_EXPIRE) {
            expires++;
        } else if (oldExpire != Entry.NO_EXPIRE && newExpire == Entry.NO_EXPIRE) {
            expires--;
        }
    }

    /** Absolute expire time of record {@code rec}, or {@link Entry#NO_EXPIRE}. */
    private long expireOf(long rec) {
        return expireOf(rec, arena.readInt(rec + META));
    }

    /** As above, for a record whose meta word {@code m} the caller has already read. */
    private long expireOf(long rec, int m) {
        return hasExpire(m) ? arena.readLong(rec + EXPIRE) : Entry.NO_EXPIRE;
    }

    /** Hash of record {@code rec}'s key. */
    private long recordHash(long rec) {
        long mk = arena.readLong(rec + META);
        return arena.hash(rec + keyOffset((int) mk), keyLen(mk));
    }

    /**
     * Puts a new record in the dictionary: in place of {@code old} (the record just found, whose
     * chain position find() left in foundPrev/foundTable/foundBucket) or as a new key (then the
     * last find() was for {@code rec}'s key, and its foundHash is the key's hash). The TTL went
     * from {@code oldExpire} (of {@code old}) to {@code newExpire} (already in {@code rec}).
     */
    private Entry place(long rec, long old, long oldExpire, long newExpire) {
        countExpireChange(oldExpire, newExpire);
        if (old != 0) {
            writeNext(arena, rec, readNext(arena, old));
            if (foundPrev == 0) {
                arena.writeLong((foundTable == 0 ? t0 : t1) + foundBucket * 8L, rec);
            } else {
                writeNext(arena, foundPrev, rec);
            }
            freeRecord(old);
        } else {
            link(rec, foundHash);
        }
        return view.at(rec);
    }

    /**
     * Links a new record (its key absent) at the head of its bucket; may start a rehash. {@code h}
     * is the hash of its key (found by the look-up that saw it absent, so not computed twice).
     */
    private void link(long rec, long h) {
        assert h == recordHash(rec) : "link with another key's hash";
        if (size0 == 0) {
            t0 = newTable(INITIAL_SIZE);
            size0 = INITIAL_SIZE;
        }
        expandIfNeeded();
        long table = rehashIdx >= 0 ? t1 : t0;
        int size = rehashIdx >= 0 ? size1 : size0;
        long slot = table + (h & (size - 1)) * 8L;
        writeNext(arena, rec, arena.readLong(slot));
        arena.writeLong(slot, rec);
        used++;
    }

    private long newTable(int size) {
        long t = arena.allocate(size * 8);
        arena.fill(t, size * 8, (byte) 0);
        return t;
    }

    private void freeRecord(long rec) {
        long mk = arena.readLong(rec + META);
        int m = (int) mk;
        int vlen = EntryLayout.isInt(m) ? 0 : readValueLen(arena, rec, m);
        if (external(m)) {
            arena.free(arena.readLong(rec + value8Offset(m)), arena.readInt(rec + capacityOffset(m)));
        }
        arena.free(rec, recordSize(m, keyLen(mk), vlen));
    }

    /** Removes the record find() just found from its chain and frees it. */
    private void unlinkFound(long rec) {
        detachFound(rec);
        freeRecord(rec);
    }

    /** Removes the record find() just found from its chain and the counts, freeing nothing. */
    private void detachFound(long rec) {
        long next = readNext(arena, rec);
        if (foundPrev == 0) {
            arena.writeLong((foundTable == 0 ? t0 : t1) + foundBucket * 8L, next);
        } else {
            writeNext(arena, foundPrev, next);
        }
        if (expireOf(rec) != Entry.NO_EXPIRE) {
            expires--;
        }
        used--;
    }

    /**
     * Sets (or with {@link Entry#NO_EXPIRE} removes) the absolute expire time of the entry just
     * returned. A record without the expireAt field moves to a larger allocation that has it;
     * {@code e} then names the new record.
     */
    public void setExpire(Entry e, long expireAt) {
        long rec = e.addr;
        int m = arena.readInt(rec + META);
        long cur = expireOf(rec, m);
        if (cur == expireAt) {
            return;
        }
        countExpireChange(cur, expireAt);
        if (hasExpire(m)) {
            arena.writeLong(rec + EXPIRE, expireAt);
            return;
        }
        int keyLen = readKeyLen(arena, rec);
        int vlen = inline(m) ? readValueLen(arena, rec, m) : 0;
        int oldSize = recordSize(m, keyLen, vlen);
        long n = arena.allocate(oldSize + 8);
        writeMetaWord(n, withExpire(m), keyLen, vlen);
        arena.writeLong(n + EXPIRE, expireAt);
        arena.copy(rec + EXPIRE, n + EXPIRE + 8, oldSize - EXPIRE); // value8, lengths, key, inline value
        moveRecord(e, n, oldSize);
    }

    /** Puts record {@code n} in record {@code old}'s place in its bucket chain (found by hashing its key). */
    private void replaceInChain(long old, long n) {
        long h = recordHash(old);
        for (int t = 0; t <= (rehashIdx >= 0 ? 1 : 0); t++) {
            long table = t == 0 ? t0 : t1;
            int idx = (int) (h & ((t == 0 ? size0 : size1) - 1));
            if (t == 0 && idx < rehashIdx) {
                continue; // bucket already moved to table 1
            }
            long prev = 0;
            for (long e = arena.readLong(table + idx * 8L); e != 0; prev = e, e = readNext(arena, e)) {
                if (e == old) {
                    writeNext(arena, n, readNext(arena, old));
                    if (prev == 0) {
                        arena.writeLong(table + idx * 8L, n);
                    } else {
                        writeNext(arena, prev, n);
                    }
                    return;
                }
            }
        }
        throw new IllegalStateException("record " + old + " is not in its bucket chain");
    }

    /** Deletes a key; returns true when it existed (and was not expired). */
    public boolean delete(byte[] k, int off, int len) {
        long e = live(k, off, len);
        if (e == 0) {
            return false;
        }
        unlinkFound(e);
        return true;
    }

    public boolean delete(byte[] k) {
        return delete(k, 0, k.length);
    }

    /**
     * Copies key {@code k}'s value (and TTL) to key {@code dk} in {@code dst}, which may be this
     * database. Returns false when {@code k} is missing or {@code dk} exists and not {@code replace}.
     */
    public boolean copy(byte[] k, Database dst, byte[] dk, boolean replace) {
        if (lookup(k) == null) {
            return false;
        }
        if (dst.lookup(dk) != null && !replace) {
            return false;
        }
        transferRecord(k, dst, dk, true);
        return true;
    }

    /** Renames {@code k} to {@code nk} (overwriting it), keeping value and TTL; false when {@code k} is missing. */
    public boolean rename(byte[] k, byte[] nk) {
        if (lookup(k) == null) {
            return false;
        }
        if (java.util.Arrays.equals(k, nk)) {
            return true;
        }
        transferRecord(k, this, nk, false);
        return true;
    }

    /** Moves {@code k} to {@code dst}; false when missing here or present there. */
    public boolean move(byte[] k, Database dst) {
        if (lookup(k) == null || dst.lookup(k) != null) {
            return false;
        }
        transferRecord(k, dst, k, false);
        return true;
    }

    /**
     * COPY ({@code duplicate}) or RENAME/MOVE (not): live key {@code k}'s record is copied, or
     * handed over, to key {@code dk} in {@code dst} (this database or another on the same arena),
     * replacing any {@code dk} there. The header (type, encoding, TTL) and an integer or inline
     * value are copied arena to arena; nothing passes through the Java heap.
     * <ul>
     * <li>RENAME/MOVE move Redis's object: the record keeps its private-integer mark, and a value
     * in its own allocation changes owner without a byte of it being copied, so renaming a 100 MB
     * value costs what renaming a small one does. The old record is freed as any deleted one (its
     * frames stay while an open snapshot needs them); the value's pages are only read.
     * <li>COPY makes a new object (Redis's dupStringObject): its own allocation of exactly the
     * value's length, a fresh access time, and an integer marked private (OBJECT REFCOUNT 1).
     * </ul>
     * The access time is set as a write look-up sets it (not while a snapshot is open).
     */
    private void transferRecord(byte[] k, Database dst, byte[] dk, boolean duplicate) {
        assert dst.arena == arena : "databases of one keyspace share the arena";
        long rec = live(k, 0, k.length);
        long mk = arena.readLong(rec + META);
        int m = (int) mk;
        int keyLen = keyLen(mk);
        int vlen = EntryLayout.isInt(m) ? 0 : readValueLen(arena, rec, m);
        long exp = expireOf(rec, m);
        int kOff = keyOffset(m);
        int nm = duplicate || !arena.snapshotOpen() ? withLru(m, lru.now()) : m;
        if (duplicate && EntryLayout.isInt(m)) {
            nm = EntryLayout.withPrivateInt(nm, true);
        }
        long n;
        if (EntryLayout.inline(m) && !fitsInline(kOff, dk.length, vlen, arena.maxSmallSize())) {
            // The new name is too long for an inline record: the value moves to its own
            // allocation, as it would for a new key of that length (the encoding is kept).
            int xm = EntryLayout.meta(EntryLayout.type(nm), EntryLayout.encoding(nm), true, hasExpire(nm), lru(nm));
            n = arena.allocate(recordSize(xm, dk.length, 0));
            writeHeader(n, xm, dk, 0, dk.length, 0, exp);
            arena.copy(rec + kOff + keyLen, newExternalValue(n, xm, vlen, Math.max(1, vlen)), vlen);
        } else {
            n = arena.allocate(recordSize(m, dk.length, vlen));
            writeMetaWord(n, nm, dk.length, vlen);
            arena.copy(rec + EXPIRE, n + EXPIRE, kOff - EXPIRE); // expireAt, value8, valueLen, capacity: what m has
            arena.write(n + kOff, dk, 0, dk.length);
            if (EntryLayout.inline(m)) {
                arena.copy(rec + kOff + keyLen, n + kOff + dk.length, vlen);
            } else if (duplicate && external(m)) {
                arena.copy(arena.readLong(rec + value8Offset(m)), newExternalValue(n, m, vlen, Math.max(1, vlen)), vlen);
            }
        }
        if (!duplicate) {
            // unlink k (found by live above) and free its record, but not a value n now owns
            detachFound(rec);
            arena.free(rec, recordSize(m, keyLen, vlen));
        }
        long old = dst.live(dk, 0, dk.length);
        long oldExpire = old == 0 ? Entry.NO_EXPIRE : dst.expireOf(old);
        dst.place(n, old, oldExpire, exp);
    }

    /** Deletes every key and the tables (FLUSHDB). */
    public void clear() {
        if (size0 == 0) {
            return;
        }
        forEachRecord(this::freeRecord);
        arena.free(t0, size0 * 8);
        if (rehashIdx >= 0) {
            arena.free(t1, size1 * 8);
        }
        if (pending != 0) {
            arena.free(pending, pendingSize * 8);
            pending = 0;
            pendingSize = 0;
            pendingZeroed = 0;
        }
        t0 = 0;
        t1 = 0;
        size0 = 0;
        size1 = 0;
        rehashIdx = -1;
        used = 0;
        expires = 0;
        expireCursor = 0;
    }

    // =============================================================== rehashing

    /**
     * A grown table being zeroed ahead of its rehash, one slice per insert, or 0. Zeroing a table
     * of millions of buckets at once stalled the insert that needed it for milliseconds (2-5 ms at
     * 1M keys; Redis's calloc gets lazily zeroed pages from the kernel, arena frames are reused and
     * must be cleared). The dictionary ignores it until it is all zero; then its rehash starts.
     */
    private long pending;
    private int pendingSize;
    private long pendingZeroed;
    /** Tables up to this many bytes are zeroed at once. */
    static final int ZERO_AT_ONCE = 256 * 1024;
    /** Bytes of a pending table zeroed per insert (a few microseconds). */
    static final int ZERO_SLICE = 64 * 1024;

    private void expandIfNeeded() {
        if (rehashIdx >= 0 || size0 >= MAX_TABLE_SIZE) {
            return;
        }
        boolean mayResize = !arena.snapshotOpen() || used / size0 > FORCE_RESIZE_RATIO;
        if (pending != 0) {
            if (mayResize) {
                zeroPendingSlice();
            }
        } else if (used >= size0 && mayResize) {
            int newSize = nextPower(used + 1);
            if ((long) newSize * 8 <= ZERO_AT_ONCE) {
                startRehash(newSize);
            } else {
                pending = arena.allocate(newSize * 8);
                pendingSize = newSize;
                pendingZeroed = 0;
                zeroPendingSlice();
            }
        }
    }

    /** Whether a grown table is being zeroed (tests). */
    boolean zeroingTable() {
        return pending != 0;
    }

    /** Zeroes the next slice of the pending table; when it is all zero, starts rehashing into it. */
    private void zeroPendingSlice() {
        long total = pendingSize * 8L;
        int n = (int) Math.min(ZERO_SLICE, total - pendingZeroed);
        arena.fill(pending + pendingZeroed, n, (byte) 0);
        pendingZeroed += n;
        if (pendingZeroed == total) {
            t1 = pending;
            size1 = pendingSize;
            rehashIdx = 0;
            pending = 0;
            pendingSize = 0;
            pendingZeroed = 0;
        }
    }

    private static int nextPower(long n) {
        long s = INITIAL_SIZE;
        while (s < n && s < MAX_TABLE_SIZE) {
            s <<= 1;
        }
        return (int) s;
    }

    private void startRehash(int newSize) {
        t1 = newTable(newSize);
        size1 = newSize;
        rehashIdx = 0;
    }

    /** Moves up to {@code buckets} buckets (visiting at most 10 empty ones per bucket) from table 0 to 1. */
    void rehashStep(int buckets) {
        int emptyVisits = buckets * 10;
        while (buckets-- > 0 && rehashIdx >= 0) {
            long e = arena.readLong(t0 + rehashIdx * 8L);
            while (e == 0) {
                rehashIdx++;
                if (rehashIdx >= size0) {
                    finishRehash();
                    return;
                }
                if (--emptyVisits == 0) {
                    return;
                }
                e = arena.readLong(t0 + rehashIdx * 8L);
            }
            while (e != 0) {
                long next = readNext(arena, e);
                long h = recordHash(e);
                long slot = t1 + (h & (size1 - 1)) * 8L;
                writeNext(arena, e, arena.readLong(slot));
                arena.writeLong(slot, e);
                e = next;
            }
            rehashIdx++;
            if (rehashIdx >= size0) {
                finishRehash();
                return;
            }
        }
    }

    /** Most buckets {@link #rehashAhead} moves per call. */
    public static final int REHASH_AHEAD_MAX = 64;
    private final long[] aheadHeads = new long[REHASH_AHEAD_MAX];
    /** Look-ups that skip their own rehash step because {@link #rehashAhead} already made it. */
    private int rehashCredit;
    /** Consumes the warm-up loads of {@link #rehashAhead} so the JIT keeps them. */
    private long aheadSink;

    /**
     * Rehash work for a batch of {@code n} coming look-ups (each of which would otherwise move one
     * bucket with its loads in a row): moves up to {@code n} buckets, as {@code rehashStep(n)}
     * does, after first loading the buckets' first records and then their destination slots in
     * table 1, so the cache misses of different buckets overlap. The next {@code n} look-ups then
     * skip their own step, so the rehash advances at Redis's pace (one bucket per look-up). Does
     * nothing when no rehash runs or rehashing is paused by a snapshot. Keyspace thread.
     */
    public void rehashAhead(int n) {
        if (rehashIdx < 0 || n <= 0 || !canRehash()) {
            return;
        }
        n = Math.min(n, REHASH_AHEAD_MAX);
        int count = 0;
        int emptyVisits = n * 10;
        for (int idx = rehashIdx; count < n && idx < size0; idx++) {
            long e = arena.readLong(t0 + idx * 8L);
            if (e != 0) {
                aheadHeads[count++] = e;
            } else if (--emptyVisits == 0) {
                break;
            }
        }
        long sink = 0;
        for (int i = 0; i < count; i++) {
            sink ^= arena.readLong(aheadHeads[i] + META);
        }
        for (int i = 0; i < count; i++) {
            long e = aheadHeads[i];
            long h = recordHash(e);
            sink ^= arena.readLong(t1 + (h & (size1 - 1)) * 8L);
        }
        aheadSink = sink;
        rehashStep(n);
        rehashCredit = n;
    }

    private void finishRehash() {
        arena.free(t0, size0 * 8);
        t0 = t1;
        size0 = size1;
        t1 = 0;
        size1 = 0;
        rehashIdx = -1;
    }

    /**
     * Whether a rehash may move buckets now: not while a snapshot is open (every move dirties
     * pages the snapshot shares) unless the dictionary is overloaded, as Redis pauses rehashing
     * while a fork child runs.
     */
    private boolean canRehash() {
        return !arena.snapshotOpen() || used > (long) FORCE_RESIZE_RATIO * Math.min(size0, Math.max(size1, 1));
    }

    /** Cron: rehash a while, and start a shrink when under 10% full (not while a snapshot is open). */
    void cronResize(int steps) {
        if (rehashIdx >= 0) {
            if (canRehash()) {
                rehashStep(steps);
            }
        } else if (pending == 0 && size0 > INITIAL_SIZE && used * 10 < size0 && !arena.snapshotOpen()) {
            startRehash(nextPower(Math.max(used, 1)));
        }
    }

    // =============================================================== iteration

    interface RecordVisitor {
        void visit(long rec);
    }

    /** Visits every record (expired ones included); the visitor may free the record it is given. */
    private void forEachRecord(RecordVisitor v) {
        for (int t = 0; t <= (rehashIdx >= 0 ? 1 : 0); t++) {
            long table = t == 0 ? t0 : t1;
            int size = t == 0 ? size0 : size1;
            for (int i = t == 0 ? Math.max(0, rehashIdx) : 0; i < size; i++) {
                long e = arena.readLong(table + i * 8L);
                while (e != 0) {
                    long next = readNext(arena, e);
                    v.visit(e);
                    e = next;
                }
            }
        }
    }

    /**
     * Visits every live (not expired) entry, in table order; the entry passed is valid only during
     * the call. The visitor must not change this database.
     */
    public void forEachLive(KeyVisitor v) {
        long now = clock.millis();
        forEachRecord(rec -> {
            long at = expireOf(rec);
            if (at == Entry.NO_EXPIRE || at > now) {
                v.key(view.at(rec));
            }
        });
    }

    /** All live keys (for KEYS). */
    public List<byte[]> keys() {
        long now = clock.millis();
        List<byte[]> out = new ArrayList<>((int) Math.min(used, 1 << 20));
        forEachRecord(rec -> {
            long at = expireOf(rec);
            if (at == Entry.NO_EXPIRE || at > now) {
                out.add(view.at(rec).key());
            }
        });
        return out;
    }

    /** Receives keys found by {@link #scan}. */
    public interface KeyVisitor {
        void key(Entry e);
    }

    /**
     * One SCAN step with Redis's reverse-binary cursor (dictScan): visits the bucket {@code cursor}
     * points to (and, while rehashing, its expansion in the larger table) and returns the next
     * cursor, 0 when done. Keys present for the whole iteration are returned at least once, even
     * across resizes. Every key in the visited buckets is passed on, expired ones too, none is
     * deleted: as Redis, the SCAN command decides which to expire (those that pass its MATCH).
     */
    public long scan(long cursor, KeyVisitor v) {
        if (used == 0) {
            return 0;
        }
        if (rehashIdx < 0) {
            long m0 = size0 - 1;
            visitBucket(0, (int) (cursor & m0), v);
            cursor |= ~m0;
            cursor = Long.reverse(cursor);
            cursor++;
            cursor = Long.reverse(cursor);
            return cursor;
        }
        boolean zeroSmall = size0 <= size1;
        int small = zeroSmall ? 0 : 1;
        int large = 1 - small;
        long m0 = (zeroSmall ? size0 : size1) - 1;
        long m1 = (zeroSmall ? size1 : size0) - 1;
        visitBucket(small, (int) (cursor & m0), v);
        do {
            visitBucket(large, (int) (cursor & m1), v);
            cursor |= ~m1;
            cursor = Long.reverse(cursor);
            cursor++;
            cursor = Long.reverse(cursor);
        } while ((cursor & (m0 ^ m1)) != 0);
        return cursor;
    }

    private void visitBucket(int t, int idx, KeyVisitor v) {
        if (t == 0 && idx < rehashIdx) {
            return; // moved to table 1, which the caller also visits
        }
        long e = arena.readLong((t == 0 ? t0 : t1) + idx * 8L);
        while (e != 0) {
            long next = readNext(arena, e);
            v.key(view.at(e));
            e = next;
        }
    }

    /** A random live key or null (expired keys met on the way are deleted, as Redis does). */
    public byte[] randomKey() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100 && used > 0; attempt++) {
            long e = 0;
            for (int tries = 0; e == 0 && tries < 10_000; tries++) {
                int t = rehashIdx >= 0 && rnd.nextLong(size0 + (long) size1) >= size0 ? 1 : 0;
                int size = t == 0 ? size0 : size1;
                int idx = rnd.nextInt(size);
                if (t == 0 && idx < rehashIdx) {
                    continue;
                }
                e = arena.readLong((t == 0 ? t0 : t1) + idx * 8L);
            }
            if (e == 0) {
                return fallbackRandom();
            }
            int chain = 0;
            for (long x = e; x != 0; x = readNext(arena, x)) {
                chain++;
            }
            int pick = rnd.nextInt(chain);
            while (pick-- > 0) {
                e = readNext(arena, e);
            }
            byte[] k = view.at(e).key();
            if (lookup(k) != null) {
                return k;
            }
        }
        return null;
    }

    private byte[] fallbackRandom() {
        List<byte[]> all = keys();
        return all.isEmpty() ? null : all.get(ThreadLocalRandom.current().nextInt(all.size()));
    }

    // =============================================================== expiry

    /**
     * Active expiry: walks buckets from a persistent cursor until {@code samples} keys with a TTL
     * were seen (or 20x that many buckets), deleting the expired ones. Returns {sampled, expired}.
     */
    long[] expireSample(int samples, long[] out) {
        out[0] = 0;
        out[1] = 0;
        if (expires == 0 || used == 0) {
            return out;
        }
        if (rehashIdx >= 0) {
            if (canRehash()) {
                rehashStep(samples);
            }
            if (rehashIdx >= 0) {
                return out;
            }
        }
        long now = clock.millis();
        long ttlSum = 0;
        int buckets = samples * 20;
        while (buckets-- > 0 && out[0] < samples) {
            int idx = expireCursor & (size0 - 1);
            expireCursor = (expireCursor + 1) & (size0 - 1);
            long prev = 0;
            long e = arena.readLong(t0 + idx * 8L);
            while (e != 0) {
                long next = readNext(arena, e);
                long at = expireOf(e);
                if (at != Entry.NO_EXPIRE) {
                    out[0]++;
                    if (at <= now) {
                        foundPrev = prev;
                        foundTable = 0;
                        foundBucket = idx;
                        unlinkFound(e);
                        stats.expiredKeys++;
                        out[1]++;
                        e = next;
                        continue;
                    }
                    ttlSum += at - now;
                }
                prev = e;
                e = next;
            }
        }
        long live = out[0] - out[1];
        if (live > 0) {
            long avg = ttlSum / live;
            avgTtl = avgTtl == 0 ? avg : (avgTtl / 50) * 49 + avg / 50;
        }
        return out;
    }

    /** Estimated average remaining TTL in ms of keys with expires (INFO keyspace avg_ttl), as Redis estimates it. */
    public long averageTtl() {
        return expires == 0 ? 0 : avgTtl;
    }

    /** Exchanges all content (roots) with {@code other} (SWAPDB). */
    void swapContent(Database other) {
        long a = t0; t0 = other.t0; other.t0 = a;
        int b = size0; size0 = other.size0; other.size0 = b;
        a = t1; t1 = other.t1; other.t1 = a;
        b = size1; size1 = other.size1; other.size1 = b;
        b = rehashIdx; rehashIdx = other.rehashIdx; other.rehashIdx = b;
        a = pending; pending = other.pending; other.pending = a;
        b = pendingSize; pendingSize = other.pendingSize; other.pendingSize = b;
        a = pendingZeroed; pendingZeroed = other.pendingZeroed; other.pendingZeroed = a;
        a = used; used = other.used; other.used = a;
        a = expires; expires = other.expires; other.expires = a;
        a = avgTtl; avgTtl = other.avgTtl; other.avgTtl = a;
        expireCursor = 0;
        other.expireCursor = 0;
    }
}
