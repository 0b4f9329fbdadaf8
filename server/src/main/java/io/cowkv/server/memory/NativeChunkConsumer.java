package io.cowkv.server.memory;

/**
 * Receives the physically contiguous native pieces of a logical range, in order
 * (see {@link Arena#forEachChunk} and {@link FrozenView#forEachChunk}).
 *
 * <p>The native address is valid only during the call and only for {@code len} bytes; the
 * consumer must not write through it (the memory may be shared with a snapshot) and must not keep
 * it.
 */
@FunctionalInterface
public interface NativeChunkConsumer {
    void accept(long nativeAddress, int len);
}
