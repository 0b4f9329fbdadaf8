package io.cowkv.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

/** Leak checks shared by the arena tests: run after each test, once every arena is closed. */
final class LeakChecks {
    private LeakChecks() {
    }

    static void assertNoNativeMemory() {
        assertThat(Arena.globalNativeBytesReserved()).as("native bytes still reserved by arenas").isZero();
        assertThat(Arena.globalChunks()).as("native chunks still held by arenas").isZero();
        assertThat(NativeLongs.outstandingBytes()).as("native long arrays not freed").isZero();
        assertThat(NativeInts.outstandingBytes()).as("native int arrays not freed").isZero();
        assertThat(Arena.globalMetadataBytes()).as("arena metadata blocks not freed").isZero();
    }

    /** All frames are back in the pool and nothing is allocated. */
    static void assertAllFramesFree(Arena arena) {
        assertThat(arena.usedBytes()).as("usedBytes").isZero();
        assertThat(arena.framesInUse()).as("framesInUse").isZero();
        assertThat(arena.framesHeldForSnapshot()).as("framesHeldForSnapshot").isZero();
        assertThat(arena.freeFrames()).as("freeFrames").isEqualTo(arena.totalFrames());
    }
}
