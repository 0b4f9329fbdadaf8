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
 *
 * <p>Releasing pages: the reader may promise, page by page, never to read a page again
 * ({@link #release}). From then on the owner's write barrier adopts that page's frame instead of
 * copying it (nothing is counted in {@link #copiedBytes()}), and a frame that was already copied
 * away or unmapped returns to the pool at the next {@link Arena#reclaimReleased()}. Reading a
 * released page afterwards returns unspecified bytes (it never touches memory outside the arena).
 * A {@link SharedPageHandler} may also take care of pages on the owner's side
 * ({@link #sharedPageHandler}); such pages count as released.
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

    /** This view's cost so far (final once closed); readable from any thread. */
    SnapshotCounters counters();

    /**
     * Logical pages the view covers: pages {@code [0, pages())}, i.e. every page that could be
     * mapped at the freeze. Any thread.
     */
    int pages();

    /**
     * Reader thread: promises that this view will never read logical page {@code page} again.
     * Call it after the last read of the page: the bit is set with release semantics and the owner
     * reads it with acquire semantics before it reuses or writes the frame, so every read made
     * before the call sees freeze-time bytes. Idempotent; cheap (one atomic OR after the first
     * call, which allocates the bitset of {@code pages()/8} bytes).
     *
     * @throws IllegalArgumentException if {@code page} is outside {@code [0, pages())}
     */
    void release(int page);

    /** Whether {@code page} was released (by the reader or by a {@link SharedPageHandler}). Any thread. */
    boolean isReleased(int page);

    /**
     * Owner thread: installs (or with {@code null} removes) the handler the write barrier asks
     * before copying a shared, unreleased page. O(1); may be called right after the freeze.
     */
    void sharedPageHandler(SharedPageHandler handler);

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
