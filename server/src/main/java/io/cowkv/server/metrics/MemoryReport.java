package io.cowkv.server.metrics;

import java.util.Map;

/** The INFO memory fields, in Redis's order, with current values. Implemented over the store in use. */
public interface MemoryReport {
    Map<String, Object> fields();

    /** used_memory: bytes the data set occupies. */
    long usedMemory();
}
