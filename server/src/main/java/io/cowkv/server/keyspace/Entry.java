package io.cowkv.server.keyspace;

import io.cowkv.server.memory.Arena;
import io.cowkv.server.util.Numbers;

import static io.cowkv.server.keyspace.EntryLayout.*;

/**
 * A view of one key's record in the arena: type, expire time and string value.
 *
 * <p>Contract: a flyweight owned by its {@link Database}; it is valid until the next call that
 * may change that database (any set, delete, expire or look-up on it). Commands read what they
 * need from it right away. Keyspace thread only.
 */
public final class Entry {
    public static final long NO_EXPIRE = -1;
    /** String storage modes for {@link Database#setString}: int when the bytes are a canonical integer (SET). */
    public static final int AUTO = 0;
    /** Never int-encoded (INCRBYFLOAT results). */
    public static final int NO_INT = 1;
    /** Reported as "raw" (APPEND and SETRANGE results). */
    public static final int RAW = 2;

    private final Arena arena;
    long addr;

    Entry(Arena arena) {
        this.arena = arena;
    }

    Entry at(long address) {
        this.addr = address;
        return this;
    }

    private static final ValueType[] TYPES = ValueType.values();

    private int meta() {
        return arena.readInt(addr + META);
    }

    public ValueType type() {
        return TYPES[EntryLayout.type(meta())];
    }

    /** Absolute Unix time in ms, or {@link #NO_EXPIRE}. */
    public long expireAt() {
        return hasExpire(meta()) ? arena.readLong(addr + EXPIRE) : NO_EXPIRE;
    }

    /** True when the string value is held as an integer (Redis's "int" encoding). */
    public boolean isInt() {
        return EntryLayout.isInt(meta());
    }

    /** The integer of an int-encoded string. */
    public long longValue() {
        return arena.readLong(addr + value8Offset(meta()));
    }

    /** Length in bytes of the string value (the decimal length for int-encoded values). */
    public int stringLength() {
        int m = meta();
        return EntryLayout.isInt(m) ? Numbers.digits(longValue()) : readValueLen(arena, addr, m);
    }

    /** Bytes of a string value that is not int-encoded. */
    private int valueLength(int m) {
        return readValueLen(arena, addr, m);
    }

    /** Address of the string value's bytes (not for int-encoded values). */
    long valueAddress() {
        int m = meta();
        return external(m)
                ? arena.readLong(addr + value8Offset(m))
                : addr + keyOffset(m) + readKeyLen(arena, addr);
    }

    /** A copy of the string value's bytes. */
    public byte[] stringBytes() {
        int m = meta();
        if (EntryLayout.isInt(m)) {
            long v = longValue();
            byte[] b = new byte[Numbers.digits(v)];
            Numbers.writeLong(v, b, 0);
            return b;
        }
        byte[] b = new byte[valueLength(m)];
        arena.read(valueAddress(), b, 0, b.length);
        return b;
    }

    /** Streams the string value's bytes straight from native memory (not for int-encoded values). */
    public void writeString(ByteSink sink) {
        writeRange(sink, 0, valueLength(meta()));
    }

    /**
     * Streams bytes {@code [from, from + len)} of the string value (not for int-encoded values);
     * the caller keeps the range inside the value. Reads only those bytes (GETRANGE of a few bytes
     * of a large value costs what it returns).
     */
    public void writeRange(ByteSink sink, long from, int len) {
        if (len == 0) {
            return;
        }
        long a = valueAddress() + from;
        if (sink.acceptsNative()) {
            arena.forEachChunk(a, len, sink);
            return;
        }
        if (scratch == null) {
            scratch = new byte[8192];
        }
        for (int done = 0; done < len; ) {
            int n = Math.min(scratch.length, len - done);
            arena.read(a + done, scratch, 0, n);
            sink.bytes(scratch, 0, n);
            done += n;
        }
    }

    /** Staging buffer for sinks that cannot take native memory (allocated on first need). */
    private byte[] scratch;

    /** Redis's OBJECT ENCODING name for the value. */
    public String encoding() {
        switch (EntryLayout.encoding(meta())) {
            case ENC_INT: return "int";
            case ENC_EMBSTR: return "embstr";
            default: return "raw";
        }
    }

    /** Seconds since the last access at Unix time {@code nowMillis} (OBJECT IDLETIME; 24-bit clock, as Redis). */
    public long idleSeconds(long nowMillis) {
        return EntryLayout.idleSeconds(LruClock.at(nowMillis), EntryLayout.lru(meta()));
    }

    /**
     * Whether Redis would hold this value as one of its shared integer objects (0..9999, created at
     * start-up with refcount INT_MAX): OBJECT REFCOUNT and DEBUG OBJECT report that refcount.
     */
    public boolean sharedInteger() {
        if (!isInt() || EntryLayout.privateInt(meta())) {
            return false;
        }
        long v = longValue();
        return v >= 0 && v < 10000;
    }

    /** The 24-bit LRU clock value of the last access (DEBUG OBJECT's {@code lru}). */
    public int lru() {
        return EntryLayout.lru(meta());
    }

    /** The record's arena address (DEBUG OBJECT's {@code Value at}); valid until the next write. */
    public long address() {
        return addr;
    }

    /** The key's bytes (a copy). */
    public byte[] key() {
        byte[] k = new byte[readKeyLen(arena, addr)];
        arena.read(addr + keyOffset(meta()), k, 0, k.length);
        return k;
    }
}
