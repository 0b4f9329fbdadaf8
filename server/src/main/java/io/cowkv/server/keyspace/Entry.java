package io.cowkv.server.keyspace;

/**
 * One key's value in the provisional on-heap store: type, value and absolute expire time.
 * String values are {@code byte[]} (or a {@code Long} when they are an integer, as Redis's
 * "int" encoding). Confined to the keyspace thread.
 */
public final class Entry {
    public static final long NO_EXPIRE = -1;
    /** String storage modes for {@link Database#setString}. */
    public static final int AUTO = 0;
    public static final int NO_INT = 1;
    public static final int RAW = 2;

    ValueType type;
    Object value;
    long expireAt = NO_EXPIRE;
    long lastAccess;
    boolean raw;

    Entry(ValueType type, Object value) {
        this.type = type;
        this.value = value;
    }

    public ValueType type() {
        return type;
    }

    /** Absolute Unix time in ms, or {@link #NO_EXPIRE}. */
    public long expireAt() {
        return expireAt;
    }

    /** Raw value (provisional store only; commands use the accessors below). */
    Object value() {
        return value;
    }

    /** True when the string value is held as an integer (Redis's "int" encoding). */
    public boolean isInt() {
        return value instanceof Long;
    }

    /** The integer of an int-encoded string. */
    public long longValue() {
        return (Long) value;
    }

    /** Length in bytes of the string value (the decimal length for int-encoded values). */
    public int stringLength() {
        return value instanceof Long ? io.cowkv.server.util.Numbers.digits((Long) value) : ((byte[]) value).length;
    }

    /** A copy of the string value's bytes. */
    public byte[] stringBytes() {
        if (value instanceof Long) {
            return Long.toString((Long) value).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return ((byte[]) value).clone();
    }

    /** Streams the string value's bytes (not for int-encoded values). */
    public void writeString(ByteSink sink) {
        byte[] b = (byte[]) value;
        sink.bytes(b, 0, b.length);
    }

    /** Redis's OBJECT ENCODING name for the value. */
    public String encoding() {
        if (value instanceof Long) {
            return "int";
        }
        return !raw && ((byte[]) value).length <= 44 ? "embstr" : "raw";
    }

    public long lastAccess() {
        return lastAccess;
    }
}
