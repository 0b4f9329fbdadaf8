package io.cowkv.server.keyspace;

/**
 * Receives a value's bytes in order, either from a heap array or from native memory, so a
 * value can be copied straight into a reply without an intermediate array.
 */
public interface ByteSink {
    void bytes(byte[] b, int off, int len);

    void nativeBytes(long address, int len);
}
