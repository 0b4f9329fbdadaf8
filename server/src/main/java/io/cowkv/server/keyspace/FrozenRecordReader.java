package io.cowkv.server.keyspace;

import io.cowkv.server.memory.FrozenView;
import io.cowkv.server.util.Numbers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static io.cowkv.server.keyspace.EntryLayout.*;

/**
 * Reads one string record through a frozen view into reusable buffers: key, value (an int-encoded
 * value rendered in decimal), expire time, and where its bytes are (for page accounting).
 *
 * <p>Contract: one instance per reading thread (the buffers are reused, so a walk of millions of
 * keys makes no garbage); the buffers are valid until the next {@link #read}.
 */
final class FrozenRecordReader {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final FrozenView view;
    /** The record header, read in one piece (a header never crosses a page: see EntryLayout). */
    private final byte[] header = new byte[HEADER];
    byte[] key = new byte[64];
    int keyLen;
    byte[] value = new byte[256];
    int valueLen;
    long expireAt;
    /** End (exclusive) of the record's own bytes: header, key and an inline value. */
    long recordEnd;
    /** Address of an external value with at least one byte, else 0. */
    long externalValue;

    FrozenRecordReader(FrozenView view) {
        this.view = view;
    }

    /** With buffers of {@code capacity} bytes from the start (no growth for records up to that size). */
    FrozenRecordReader(FrozenView view, int capacity) {
        this.view = view;
        this.key = new byte[capacity];
        this.value = new byte[Math.max(20, capacity)];
    }

    /** Reads the record at {@code e} (key, value, expire time, extent); returns its chain successor. */
    long read(long e) {
        readExtent(e);
        if (keyLen > key.length) {
            key = new byte[Math.max(keyLen, key.length * 2)];
        }
        view.read(e + HEADER, key, 0, keyLen);
        if (header[ENCODING] == ENC_INT) {
            if (value.length < 20) {
                value = new byte[20];
            }
            valueLen = Numbers.writeLong((long) LONG.get(header, VALUE8), value, 0);
        } else {
            if (valueLen > value.length) {
                value = new byte[Math.max(valueLen, value.length * 2)];
            }
            if (valueLen > 0) {
                long va = externalValue != 0 ? externalValue : e + HEADER + keyLen;
                view.read(va, value, 0, valueLen);
            }
        }
        expireAt = (long) LONG.get(header, EXPIRE);
        return (long) LONG.get(header, NEXT);
    }

    /**
     * Reads only what locates the record's bytes: {@link #keyLen}, {@link #valueLen} (0 for an
     * int), {@link #recordEnd} and {@link #externalValue}. Returns the chain successor.
     */
    long readExtent(long e) {
        view.read(e, header, 0, HEADER);
        keyLen = (int) INT.get(header, KEY_LEN);
        boolean isInt = header[ENCODING] == ENC_INT;
        valueLen = isInt ? 0 : (int) INT.get(header, VALUE_LEN);
        boolean inline = header[LAYOUT] == INLINE;
        recordEnd = e + HEADER + keyLen + (inline ? valueLen : 0);
        externalValue = !isInt && !inline && valueLen > 0 ? (long) LONG.get(header, VALUE8) : 0;
        return (long) LONG.get(header, NEXT);
    }
}
