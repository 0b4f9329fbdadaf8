package io.cowkv.server.keyspace;

/**
 * One key's value in the provisional on-heap store: type, value and absolute expire time.
 * String values are {@code byte[]} (or a {@code Long} when they are an integer, as Redis's
 * "int" encoding). Confined to the keyspace thread.
 */
public final class Entry {
    public static final long NO_EXPIRE = -1;

    ValueType type;
    Object value;
    long expireAt = NO_EXPIRE;
    long lastAccess;

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

    public Object value() {
        return value;
    }

    public long lastAccess() {
        return lastAccess;
    }
}
