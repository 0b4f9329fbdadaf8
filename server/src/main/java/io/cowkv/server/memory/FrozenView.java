package io.cowkv.server.memory;

/**
 * A read-only view of an {@link Arena} as it was at {@link Arena#freeze()}.
 *
 * <p>Threads: obtained on the arena's owner thread; it may then be handed to ONE other thread
 * (through something that establishes happens-before: an executor, a queue, {@code Thread.start})
 * which may read it while the owner keeps writing the arena: the owner never writes a page table
 * leaf or a frame the view points to (copy-on-write), and frames the view needs are not reused
 * before {@link #close()}. {@link #close()} must be called on the owner thread, after the reader is
 * done.
 *
 * <p>Addresses are the arena's logical addresses as they were at freeze time. Reads validate that
 * every page touched was mapped at freeze time and throw {@link ArenaAccessException} otherwise;
 * they do not know allocation boundaries (allocator metadata is not frozen). All widths are
 * little-endian.
 */
public interface FrozenView extends AutoCloseable {

    byte readByte(long address);

    short readShort(long address);

    int readInt(long address);

    long readLong(long address);

    void read(long address, byte[] dst, int off, int len);

    boolean equalsBytes(long address, byte[] src, int off, int len);

    /** Same function as {@link Arena#hash(byte[], int, int)} over the frozen bytes. */
    long hash(long address, int len);

    /** Native pieces of {@code [address, address+len)} in order; see {@link NativeChunkConsumer}. */
    void forEachChunk(long address, int len, NativeChunkConsumer consumer);

    int pageSize();

    /** The value passed to {@link Arena#freeze(long)} (0 for {@link Arena#freeze()}). */
    long root();

    /** Bytes the write barrier copied so far because this view was open; readable from any thread. */
    long copiedBytes();

    boolean isClosed();

    /**
     * Owner thread only: frames that only this view still held return to the pool and
     * {@link #copiedBytes()} becomes the arena's {@code copiedBytesLast}. Idempotent.
     *
     * @throws IllegalStateException if called on another thread than the one that froze
     */
    @Override
    void close();
}
