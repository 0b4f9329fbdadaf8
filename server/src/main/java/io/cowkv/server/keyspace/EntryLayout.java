package io.cowkv.server.keyspace;

/**
 * The byte layout of one key's record in the arena (all little-endian). A fixed 16-byte part, then
 * only the fields the record needs:
 * <pre>
 *  0  long  next       address of the next record in the bucket chain, 0 at the end
 *  8  int   meta       bits 0-2 type ({@link ValueType} ordinal), bit 3 PRIVATE_INT (an INT value
 *                      that is not Redis's shared integer object, see {@link #privateInt}), bits 4-5 encoding (INT, EMBSTR or
 *                      RAW: what OBJECT ENCODING reports), bit 6 EXTERNAL (value in its own
 *                      allocation), bit 7 HAS_EXPIRE (the expireAt field is present), bits 8-31 the
 *                      24-bit LRU clock of the last access (Redis's lru field; not updated while a
 *                      snapshot is open)
 * 12  int   keyLen
 * 16  long  expireAt   only with HAS_EXPIRE: absolute unix ms, or -1 (no TTL: PERSIST keeps the field)
 *     long  value8     only for INT (the integer) and EXTERNAL (the value's address)
 *     int   valueLen   only for strings that are not INT: bytes of the value
 *     int   capacity   only for EXTERNAL: bytes of the value's allocation (APPEND grows into it)
 *     ...   key bytes, then the value bytes when the value is inline (neither INT nor EXTERNAL)
 * </pre>
 * A record is one arena allocation of {@link #keyOffset(int) keyOffset(meta)} {@code + keyLen}
 * (+ valueLen when inline) bytes: 20 bytes of header for a string without TTL, 24 for an integer,
 * 8 more with a TTL. A record that gets its first TTL moves to a larger allocation.
 *
 * <p>Why not fixed offsets: at 1M keys of 64-byte values every header byte is a megabyte of RSS,
 * and most keys have no TTL; the variable part costs two shifts per access.
 */
final class EntryLayout {
    private EntryLayout() {
    }

    static final int NEXT = 0;
    static final int META = 8;
    static final int KEY_LEN = 12;
    /** Offset of expireAt when present, and where the variable part starts. */
    static final int EXPIRE = 16;
    /** The largest header: an EXTERNAL string with a TTL (fixed part, expireAt, value8, valueLen, capacity). */
    static final int MAX_HEADER = 40;

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

    /** Offset of valueLen (records that are not INT only). */
    static int valueLenOffset(int meta) {
        return value8Offset(meta) + (isInt(meta) || external(meta) ? 8 : 0);
    }

    /** Offset of capacity (EXTERNAL records only). */
    static int capacityOffset(int meta) {
        return valueLenOffset(meta) + 4;
    }

    /** Offset of the key bytes: the header's length. */
    static int keyOffset(int meta) {
        return valueLenOffset(meta) + (isInt(meta) ? 0 : external(meta) ? 8 : 4);
    }

    /** Header length of a new string record with these properties. */
    static int headerSize(boolean isInt, boolean external, boolean hasExpire) {
        return keyOffset(meta(0, isInt ? ENC_INT : ENC_RAW, external, hasExpire, 0));
    }

    /** Bytes of the record's own allocation. */
    static int recordSize(int meta, int keyLen, int valueLen) {
        return keyOffset(meta) + keyLen + (inline(meta) ? valueLen : 0);
    }

    /** Seconds since {@code lru} on the 24-bit clock {@code now}, wrapping as Redis's estimateObjectIdleTime. */
    static long idleSeconds(int now, int lru) {
        return now >= lru ? now - lru : now + (long) (LRU_MAX - lru);
    }
}
