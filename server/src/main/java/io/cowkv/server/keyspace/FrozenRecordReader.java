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
    /** The record header (see EntryLayout), read in two pieces that stay inside the record. */
    private final byte[] header = new byte[MAX_HEADER];
    private int meta;
    byte[] key = new byte[64];
    int keyLen;
    byte[] value = new byte[256];
    int valueLen;
    long expireAt;
    /** End (exclusive) of the record's own bytes: header, key and an inline value. */
    long recordEnd;
    /** Address of an external value with at least one byte, else 0. */
    long externalValue;
    /**
     * External values of at least this many bytes are not read into {@link #value} by
     * {@link #read}: {@link #streamed} is set instead and the caller reads them in pieces
     * ({@link #readValue}), so a value larger than the heap never has to fit on it. Never by default.
     */
    long streamFrom = Long.MAX_VALUE;
    /** Whether the last {@link #read} left the value unread (see {@link #streamFrom}). */
    boolean streamed;

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
        long next = readExtent(e);
        if (keyLen > key.length) {
            key = new byte[Math.max(keyLen, key.length * 2)];
        }
        int keyOff = keyOffset(meta);
        view.read(e + keyOff, key, 0, keyLen);
        streamed = false;
        if (isInt(meta)) {
            if (value.length < 20) {
                value = new byte[20];
            }
            valueLen = Numbers.writeLong((long) LONG.get(header, value8Offset(meta)), value, 0);
        } else if (externalValue != 0 && valueLen >= streamFrom) {
            streamed = true;
        } else {
            if (valueLen > value.length) {
                value = new byte[Math.max(valueLen, value.length * 2)];
            }
            if (valueLen > 0) {
                long va = externalValue != 0 ? externalValue : e + keyOff + keyLen;
                view.read(va, value, 0, valueLen);
            }
        }
        expireAt = hasExpire(meta) ? (long) LONG.get(header, EXPIRE) : Entry.NO_EXPIRE;
        return next;
    }

    /** Copies {@code len} bytes from byte {@code from} of the last record's external value into {@code dst[0, len)}. */
    void readValue(long from, byte[] dst, int len) {
        view.read(externalValue + from, dst, 0, len);
    }

    /**
     * Reads only what locates the record's bytes: {@link #keyLen}, {@link #valueLen} (0 for an
     * int), {@link #recordEnd} and {@link #externalValue}. Returns the chain successor.
     */
    long readExtent(long e) {
        view.read(e, header, 0, EXPIRE);
        long metaWord = (long) LONG.get(header, META);
        meta = (int) metaWord;
        keyLen = keyLen(metaWord);
        int keyOff = keyOffset(meta);
        view.read(e + EXPIRE, header, EXPIRE, keyOff - EXPIRE);
        valueLen = isInt(meta) ? 0
                : external(meta) ? (int) INT.get(header, externalValueLenOffset(meta))
                : inlineValueLen(metaWord);
        recordEnd = e + recordSize(meta, keyLen, valueLen);
        externalValue = external(meta) && valueLen > 0 ? (long) LONG.get(header, value8Offset(meta)) : 0;
        return next((long) LONG.get(header, NEXT));
    }
}
