package io.cowkv.server.keyspace;

/**
 * The byte layout of one key's record in the arena (all little-endian):
 * <pre>
 *  0  long  next       address of the next record in the bucket chain, 0 at the end
 *  8  long  expireAt   absolute unix ms, or -1
 * 16  int   keyLen
 * 20  int   valueLen   bytes of the string value (unused for INT)
 * 24  byte  type       {@link ValueType} ordinal
 * 25  byte  encoding   what OBJECT ENCODING reports: INT, EMBSTR or RAW
 * 26  byte  layout     INLINE (value bytes follow the key) or EXTERNAL (value in its own allocation)
 * 27  byte  unused
 * 28  int   lru        last access, unix seconds (not updated while a snapshot is open)
 * 32  long  value8     INT: the integer; EXTERNAL: the value's address
 * 40  ...   key bytes, then the value bytes when INLINE
 * </pre>
 * A record is one arena allocation of {@code HEADER + keyLen (+ valueLen when inline)} bytes.
 */
final class EntryLayout {
    private EntryLayout() {
    }

    static final int NEXT = 0;
    static final int EXPIRE = 8;
    static final int KEY_LEN = 16;
    static final int VALUE_LEN = 20;
    static final int TYPE = 24;
    static final int ENCODING = 25;
    static final int LAYOUT = 26;
    static final int LRU = 28;
    static final int VALUE8 = 32;
    static final int HEADER = 40;

    static final byte ENC_INT = 1;
    static final byte ENC_EMBSTR = 2;
    static final byte ENC_RAW = 3;

    static final byte INLINE = 0;
    static final byte EXTERNAL = 1;

    /** Redis stores strings up to this length as embstr. */
    static final int EMBSTR_MAX = 44;
}
