package io.cowkv.server.protocol;

import io.netty.buffer.ByteBuf;
import net.openhft.chronicle.core.UnsafeMemory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The payload of one large bulk reply (a GET of a big value), copied at command time into native
 * memory of its exact size and then sent in chunks as the socket drains.
 *
 * <p>Why: a reply is otherwise built in one Netty buffer. For a value of hundreds of megabytes that
 * buffer needs as much direct memory, which the JVM caps by default at the heap's maximum size (a
 * server with {@code -Xmx64m} failed a GET of 100 MB). Redis copies such a value into its client
 * output buffer too; this is that copy, outside the heap and outside the direct-memory budget, and
 * only {@link #CHUNK} bytes of it at a time become a Netty buffer. The copy is what keeps the reply
 * the value as it was when the command ran, whatever later commands do to the key.
 *
 * <p>Ownership: {@link Reply} creates and fills it; the connection that sends it then owns it and
 * calls {@link #free} exactly once, after the last chunk or when the connection ends (whichever
 * comes first). {@link #outstandingBytes()} counts what all instances hold, for leak checks.
 * Event loop only.
 */
public final class LargeBulk {
    /** Bytes per Netty buffer when sending. */
    public static final int CHUNK = 256 * 1024;
    private static final UnsafeMemory MEM = UnsafeMemory.MEMORY;
    private static final AtomicLong OUTSTANDING = new AtomicLong();

    private long address;
    private final int size;
    private int written;
    private int sent;

    /** Native memory for {@code size} bytes, to be filled by the write methods. */
    LargeBulk(int size) {
        this.address = MEM.allocate(size);
        this.size = size;
        OUTSTANDING.addAndGet(size);
    }

    void write(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        reserve(len);
        MEM.writeBytes(address + written, b, off, len);
        written += len;
    }

    void writeNative(long src, int len) {
        reserve(len);
        MEM.copyMemory(src, address + written, (long) len);
        written += len;
    }

    private void reserve(int len) {
        if (address == 0 || len < 0 || len > size - written) {
            throw new IllegalStateException("large bulk of " + size + " bytes: " + written + " written, " + len + " more");
        }
    }

    /** Whether every byte it was made for has been written (the reply is complete). */
    boolean complete() {
        return written == size;
    }

    /** Bytes written but not yet sent. */
    public int unsent() {
        return written - sent;
    }

    /** Copies the next {@code min(unsent(), max)} bytes into {@code dst} and counts them as sent. */
    public void sendTo(ByteBuf dst, int max) {
        if (address == 0) {
            throw new IllegalStateException("large bulk already freed");
        }
        int n = Math.min(unsent(), max);
        dst.ensureWritable(n);
        int wi = dst.writerIndex();
        long from = address + sent;
        if (dst.hasMemoryAddress()) {
            MEM.copyMemory(from, dst.memoryAddress() + wi, (long) n);
        } else if (dst.hasArray()) {
            MEM.readBytes(from, dst.array(), dst.arrayOffset() + wi, n);
        } else {
            byte[] staging = new byte[Math.min(n, 8192)]; // rare: a buffer with neither
            for (int done = 0; done < n; ) {
                int piece = Math.min(staging.length, n - done);
                MEM.readBytes(from + done, staging, 0, piece);
                dst.setBytes(wi + done, staging, 0, piece);
                done += piece;
            }
        }
        dst.writerIndex(wi + n);
        sent += n;
    }

    /** Frees the native memory; nothing may be written or sent afterwards. Idempotent. */
    public void free() {
        if (address != 0) {
            MEM.freeMemory(address, size);
            OUTSTANDING.addAndGet(-size);
            address = 0;
        }
    }

    /** Native bytes held by all instances (leak checks). */
    public static long outstandingBytes() {
        return OUTSTANDING.get();
    }
}
