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

    public ValueType type() {
        return TYPES[arena.readByte(addr + TYPE)];
    }

    /** Absolute Unix time in ms, or {@link #NO_EXPIRE}. */
    public long expireAt() {
        return arena.readLong(addr + EXPIRE);
    }

    /** True when the string value is held as an integer (Redis's "int" encoding). */
    public boolean isInt() {
        return arena.readByte(addr + ENCODING) == ENC_INT;
    }

    /** The integer of an int-encoded string. */
    public long longValue() {
        return arena.readLong(addr + VALUE8);
    }

    /** Length in bytes of the string value (the decimal length for int-encoded values). */
    public int stringLength() {
        return isInt() ? Numbers.digits(longValue()) : arena.readInt(addr + VALUE_LEN);
    }

    /** Address of the string value's bytes (not for int-encoded values). */
    long valueAddress() {
        return arena.readByte(addr + LAYOUT) == INLINE
                ? addr + HEADER + arena.readInt(addr + KEY_LEN)
                : arena.readLong(addr + VALUE8);
    }

    /** A copy of the string value's bytes. */
    public byte[] stringBytes() {
        if (isInt()) {
            long v = longValue();
            byte[] b = new byte[Numbers.digits(v)];
            Numbers.writeLong(v, b, 0);
            return b;
        }
        byte[] b = new byte[arena.readInt(addr + VALUE_LEN)];
        arena.read(valueAddress(), b, 0, b.length);
        return b;
    }

    /** Streams the string value's bytes straight from native memory (not for int-encoded values). */
    public void writeString(ByteSink sink) {
        int len = arena.readInt(addr + VALUE_LEN);
        if (len == 0) {
            return;
        }
        long a = valueAddress();
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
        switch (arena.readByte(addr + ENCODING)) {
            case ENC_INT: return "int";
            case ENC_EMBSTR: return "embstr";
            default: return "raw";
        }
    }

    /** Last access time in ms (second resolution), for OBJECT IDLETIME. */
    public long lastAccess() {
        return (arena.readInt(addr + LRU) & 0xffffffffL) * 1000;
    }

    /** The key's bytes (a copy). */
    public byte[] key() {
        byte[] k = new byte[arena.readInt(addr + KEY_LEN)];
        arena.read(addr + HEADER, k, 0, k.length);
        return k;
    }
}
