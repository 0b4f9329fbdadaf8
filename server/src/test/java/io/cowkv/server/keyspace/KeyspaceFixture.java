package io.cowkv.server.keyspace;

import io.cowkv.server.memory.Arena;
import org.junit.jupiter.api.AfterEach;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the keyspace tests that build their own {@link Keyspace} in {@link #ks}: after each
 * test it is emptied and closed, with every byte and every frame back in its arena, and no arena
 * (nor any snapshot walk's native index) anywhere may still hold native memory.
 */
abstract class KeyspaceFixture {
    Keyspace ks;

    @AfterEach
    void tearDown() {
        if (ks != null) {
            ks.flushAll();
            assertThat(ks.arena().usedBytes()).isZero();
            assertThat(ks.arena().freeFrames()).as("every frame back in the pool").isEqualTo(ks.arena().totalFrames());
            ks.close();
        }
        assertThat(Arena.globalNativeBytesReserved()).isZero();
        assertThat(Arena.globalMetadataBytes()).as("arena metadata blocks not freed").isZero();
        assertThat(io.cowkv.server.memory.NativeLongs.outstandingBytes())
                .as("native index bytes of snapshot walks not freed").isZero();
        assertThat(io.cowkv.server.memory.NativeInts.outstandingBytes())
                .as("native per-page arrays of snapshot walks not freed").isZero();
    }

    /** Keys and values as bytes, one byte a character (ISO-8859-1). */
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
