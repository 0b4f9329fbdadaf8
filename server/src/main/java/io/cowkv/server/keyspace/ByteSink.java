package io.cowkv.server.keyspace;

import io.cowkv.server.memory.NativeChunkConsumer;

/**
 * Receives a value's bytes in order, either from a heap array or from native memory, so a
 * value can be copied straight into a reply without an intermediate array.
 */
public interface ByteSink extends NativeChunkConsumer {
    void bytes(byte[] b, int off, int len);

    void nativeBytes(long address, int len);

    /**
     * Whether {@link #nativeBytes} may be used. When false (e.g. the JVM refuses raw memory
     * access to the networking library), values are handed over as heap arrays instead.
     */
    default boolean acceptsNative() {
        return true;
    }

    @Override
    default void accept(long nativeAddress, int len) {
        nativeBytes(nativeAddress, len);
    }
}
