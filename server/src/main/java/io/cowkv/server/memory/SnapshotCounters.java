package io.cowkv.server.memory;

/**
 * What one snapshot has cost the arena so far (or in total, once closed); see
 * {@link FrozenView#counters()}.
 *
 * @param copiedBytes pages the write barrier copied because the view still needed them, times the
 *     page size ({@code current_cow_size} / {@code rdb_last_cow_size})
 * @param adoptedPages shared pages the barrier took over without a copy: released by the reader,
 *     or preserved by the {@link SharedPageHandler} (those are also counted in
 *     {@code preservedPages})
 * @param preservedPages pages the {@link SharedPageHandler} took care of (a subset of adopted)
 * @param heldBytes bytes of frames kept now only for the view (copied or unmapped pages whose frozen
 *     frame has not been reclaimed yet)
 * @param heldBytesPeak the largest {@code heldBytes} during the snapshot
 */
public record SnapshotCounters(long copiedBytes, long adoptedPages, long preservedPages, long heldBytes,
                               long heldBytesPeak) {
    /** All zero (no snapshot). */
    public static final SnapshotCounters NONE = new SnapshotCounters(0, 0, 0, 0, 0);
}
