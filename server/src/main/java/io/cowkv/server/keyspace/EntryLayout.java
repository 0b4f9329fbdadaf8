package io.cowkv.server.keyspace;

import io.cowkv.server.memory.Arena;

/**
 * The byte layout of one key's record in the arena (all little-endian). A fixed 14-byte part, then
 * only the fields the record needs:
 * <pre>
 *  0  6 bytes next       address of the next record in the bucket chain, 0 at the end (arena
 *                        addresses are below 2^47: page numbers are ints, pages at most 64 KiB)
 *  6  int   meta         bits 0-2 type ({@link ValueType} ordinal), bit 3 PRIVATE_INT (an INT value
 *                        that is not Redis's shared integer object, see {@link #privateInt}), bits
 *                        4-5 encoding (INT, EMBSTR or RAW: what OBJECT ENCODING reports), bit 6
 *                        EXTERNAL (value in its own allocation), bit 7 HAS_EXPIRE (the expireAt field
 *                        is present), bits 8-31 the 24-bit LRU clock of the last access (Redis's lru
 *                        field; not updated while a snapshot is open)
 * 10  lengths            an inline string: short keyLen, short valueLen (unsigned; an inline record
 *                        has at most {@link #INLINE_MAX_LENGTH} bytes of key and of value, see
 *                        {@link #fitsInline}); any other record: int keyLen
 * 14  long  expireAt     only with HAS_EXPIRE: absolute unix ms, or -1 (no TTL: PERSIST keeps the field)
 *     long  value8       only for INT (the integer) and EXTERNAL (the value's address)
 *     int   valueLen     only for EXTERNAL: bytes of the value
 *     int   capacity     only for EXTERNAL: bytes of the value's allocation (APPEND grows into it)
 *     ...   key bytes, then the value bytes when the value is inline (neither INT nor EXTERNAL)
 * </pre>
 * A record is one arena allocation of {@link #keyOffset(int) keyOffset(meta)} {@code + keyLen}
 * (+ valueLen when inline) bytes: 14 bytes of header for an inline string without TTL, 22 for an
 * integer, 30 for a value in its own allocation, 8 more with a TTL. A record that gets its first
 * TTL moves to a larger allocation.
 *
 * <p>Why this shape: at 1M keys of 64-byte values every header byte is a megabyte of RSS, and most
 * keys have no TTL. A 10-byte key and a 64-byte value make an 88-byte record, one size class
 * below the 96 bytes of a header with an 8-byte chain link and int lengths (Redis saves the same
 * bytes with its sdshdr8 headers for short strings). The variable part costs two shifts per
 * access; the 6-byte link costs a mask on read and a read-modify-write on write
 * ({@link #next}, {@link #withNext}), in a cache line the access touches anyway.
 */
final class EntryLayout {
    private EntryLayout() {
    }

    static final int NEXT = 0;
    static final int META = 6;
    /** The lengths: short keyLen and short valueLen of an inline string, int keyLen of any other record. */
    static final int LENGTHS = 10;
    /** Offset of expireAt when present, and where the variable part starts. */
    static final int EXPIRE = 14;
    /** The largest header: an EXTERNAL string with a TTL (fixed part, expireAt, value8, valueLen, capacity). */
    static final int MAX_HEADER = 38;
    /** The longest key and value an inline string record can hold (its lengths are unsigned shorts). */
    static final int INLINE_MAX_LENGTH = 0xFFFF;

    /** The chain link's bits in the record's first 8 bytes (the rest is the start of the meta word). */
    private static final long NEXT_MASK = (1L << 48) - 1;

    static final int ENC_INT = 1;
    static final int ENC_EMBSTR = 2;
    static final int ENC_RAW = 3;

    private static final int TYPE_MASK = 7;
    private static final int PRIVATE_INT_BIT = 1 << 3;
    private static final int ENC_SHIFT = 4;
    private static final int EXTERNAL_BIT = 1 << 6;
    private static final int EXPIRE_BIT = 1 << 7;
    private static final int LRU_SHIFT = 8;

    /** Redis's LRU_CLOCK_MAX: the LRU field holds seconds modulo 2^24 (about 194 days). */
    static final int LRU_MAX = (1 << 24) - 1;

    /** Redis stores strings up to this length as embstr. */
    static final int EMBSTR_MAX = 44;

    static int meta(int type, int encoding, boolean external, boolean hasExpire, int lru) {
        return type | encoding << ENC_SHIFT | (external ? EXTERNAL_BIT : 0) | (hasExpire ? EXPIRE_BIT : 0)
                | (lru & LRU_MAX) << LRU_SHIFT;
    }

    static int type(int meta) {
        return meta & TYPE_MASK;
    }

    /**
     * True for an INT value made as its own object where Redis would not share it: COPY's
     * duplicate (dupStringObject), and every integer written while maxmemory is set with an LRU
     * or LFU policy; OBJECT REFCOUNT reports 1 for it even for 0-9999. Set again on every
     * overwrite (SET, INCR) by that rule; RENAME and MOVE keep it, as they keep Redis's object.
     */
    static boolean privateInt(int meta) {
        return (meta & PRIVATE_INT_BIT) != 0;
    }

    static int withPrivateInt(int meta, boolean privateInt) {
        return privateInt ? meta | PRIVATE_INT_BIT : meta & ~PRIVATE_INT_BIT;
    }

    static int encoding(int meta) {
        return meta >>> ENC_SHIFT & 3;
    }

    static boolean isInt(int meta) {
        return encoding(meta) == ENC_INT;
    }

    static boolean external(int meta) {
        return (meta & EXTERNAL_BIT) != 0;
    }

    /** True for a string value stored right after the key. */
    static boolean inline(int meta) {
        return !isInt(meta) && !external(meta);
    }

    static boolean hasExpire(int meta) {
        return (meta & EXPIRE_BIT) != 0;
    }

    static int lru(int meta) {
        return meta >>> LRU_SHIFT;
    }

    static int withLru(int meta, int lru) {
        return meta & (1 << LRU_SHIFT) - 1 | (lru & LRU_MAX) << LRU_SHIFT;
    }

    static int withEncoding(int meta, int encoding) {
        return meta & ~(3 << ENC_SHIFT) | encoding << ENC_SHIFT;
    }

    static int withExpire(int meta) {
        return meta | EXPIRE_BIT;
    }

    /** Offset of value8 (INT and EXTERNAL records only). */
    static int value8Offset(int meta) {
        return EXPIRE + ((meta & EXPIRE_BIT) >>> 4); // 8 when HAS_EXPIRE
    }

    /** Offset of the int valueLen (EXTERNAL records only; an inline string's is in the fixed part). */
    static int externalValueLenOffset(int meta) {
        return value8Offset(meta) + 8;
    }

    /** Offset of capacity (EXTERNAL records only). */
    static int capacityOffset(int meta) {
        return value8Offset(meta) + 12;
    }

    /** Offset of the key bytes: the header's length. */
    static int keyOffset(int meta) {
        return value8Offset(meta) + (isInt(meta) ? 8 : external(meta) ? 16 : 0);
    }

    /** Header length of a new string record with these properties. */
    static int headerSize(boolean isInt, boolean external, boolean hasExpire) {
        return keyOffset(meta(0, isInt ? ENC_INT : ENC_RAW, external, hasExpire, 0));
    }

    /** Bytes of the record's own allocation. */
    static int recordSize(int meta, int keyLen, int valueLen) {
        return keyOffset(meta) + keyLen + (inline(meta) ? valueLen : 0);
    }

    /**
     * Whether a string record with a {@code keyLen}-byte key may hold its {@code valueLen}-byte
     * value inline: the record fits a small allocation ({@code maxSmallSize}, at most 32 KiB) and
     * both lengths fit the inline record's shorts.
     */
    static boolean fitsInline(int headerSize, long keyLen, long valueLen, int maxSmallSize) {
        return keyLen <= INLINE_MAX_LENGTH && valueLen <= INLINE_MAX_LENGTH
                && headerSize + keyLen + valueLen <= maxSmallSize;
    }

    // ---- the fixed part as words: {@code word0} is the long at 0, {@code metaWord} the long at META

    /** The chain link in the record's first 8 bytes. */
    static long next(long word0) {
        return word0 & NEXT_MASK;
    }

    /** The record's first 8 bytes {@code word0} with the chain link {@code next} (the meta bytes kept). */
    static long withNext(long word0, long next) {
        assert (next & ~NEXT_MASK) == 0 : "address beyond 48 bits";
        return word0 & ~NEXT_MASK | next;
    }

    /** The key length in the long at META. */
    static int keyLen(long metaWord) {
        int m = (int) metaWord;
        int lengths = (int) (metaWord >>> 32);
        return inline(m) ? lengths & INLINE_MAX_LENGTH : lengths;
    }

    /** An inline string's value length in the long at META. */
    static int inlineValueLen(long metaWord) {
        return (int) (metaWord >>> 48);
    }

    /** The long at META of a record with meta {@code m}, key length and (inline strings only) value length. */
    static long metaWord(int m, int keyLen, int inlineValueLen) {
        long lengths = inline(m) ? (long) keyLen | (long) inlineValueLen << 16 : keyLen & 0xffffffffL;
        assert !inline(m) || keyLen <= INLINE_MAX_LENGTH && inlineValueLen <= INLINE_MAX_LENGTH
                : "inline lengths beyond a short";
        return (m & 0xffffffffL) | lengths << 32;
    }

    // ---- field access through the arena (the live side; frozen views parse a copied header)

    /** The chain link of record {@code rec}. */
    static long readNext(Arena arena, long rec) {
        return next(arena.readLong(rec + NEXT));
    }

    /** Sets the chain link of record {@code rec}, keeping the meta bytes that share its word. */
    static void writeNext(Arena arena, long rec, long next) {
        arena.writeLong(rec + NEXT, withNext(arena.readLong(rec + NEXT), next));
    }

    /** The key length of record {@code rec}. */
    static int readKeyLen(Arena arena, long rec) {
        return keyLen(arena.readLong(rec + META));
    }

    /** The value length of string record {@code rec} with meta {@code m}, which is not INT. */
    static int readValueLen(Arena arena, long rec, int m) {
        return external(m)
                ? arena.readInt(rec + externalValueLenOffset(m))
                : Short.toUnsignedInt(arena.readShort(rec + LENGTHS + 2));
    }

    /** Sets the value length of string record {@code rec} with meta {@code m}, which is not INT. */
    static void writeValueLen(Arena arena, long rec, int m, int valueLen) {
        if (external(m)) {
            arena.writeInt(rec + externalValueLenOffset(m), valueLen);
        } else {
            assert valueLen <= INLINE_MAX_LENGTH : "inline value length beyond a short";
            arena.writeShort(rec + LENGTHS + 2, (short) valueLen);
        }
    }

    /** Seconds since {@code lru} on the 24-bit clock {@code now}, wrapping as Redis's estimateObjectIdleTime. */
    static long idleSeconds(int now, int lru) {
        return now >= lru ? now - lru : now + (long) (LRU_MAX - lru);
    }
}
