package io.cowkv.server.memory;

/**
 * A point-in-time copy of an arena's accounting (see {@link Arena#stats()}).
 *
 * @param pageSize bytes per page / frame
 * @param usedBytes sum of the usable sizes of live allocations ({@code used_memory})
 * @param peakUsedBytes highest {@code usedBytes} seen
 * @param framesInUse frames not in the free pool: mapped by the live page table plus those kept
 *     only for an open snapshot ({@code used_memory_rss} counterpart = framesInUse * pageSize)
 * @param framesHeldForSnapshot frames kept only because the open snapshot still needs them
 * @param freeFrames frames without a page (the free pool, and the free frames of a chunk being
 *     emptied by {@link Arena#releaseFreeChunks})
 * @param totalFrames frames carved from native chunks so far
 * @param nativeBytesReserved native bytes allocated through Chronicle Bytes
 * @param copiedBytesCurrent bytes copied by the write barrier for the open snapshot (0 if none)
 * @param copiedBytesPeak highest copied bytes of any snapshot so far
 * @param copiedBytesLast copied bytes of the last closed snapshot ({@code rdb_last_cow_size})
 * @param snapshotOpen whether a frozen view is open
 * @param lastFreezeNanos duration of the last {@link Arena#freeze()}
 * @param freezes number of freezes so far
 * @param snapshotCurrent the open snapshot's counters (copied, adopted, preserved pages, held
 *     bytes and their peak), or {@link SnapshotCounters#NONE}
 * @param snapshotLast the last closed snapshot's counters
 */
public record ArenaStats(
        int pageSize,
        long usedBytes,
        long peakUsedBytes,
        long framesInUse,
        long framesHeldForSnapshot,
        long freeFrames,
        long totalFrames,
        long nativeBytesReserved,
        long copiedBytesCurrent,
        long copiedBytesPeak,
        long copiedBytesLast,
        boolean snapshotOpen,
        long lastFreezeNanos,
        long freezes,
        SnapshotCounters snapshotCurrent,
        SnapshotCounters snapshotLast) {
}
