package io.cowkv.server.metrics;

import java.util.Map;

/** The INFO persistence fields in Redis's order, plus the fork/freeze numbers INFO stats shows. */
public interface PersistenceReport {
    Map<String, Object> fields();

    long latestForkUsec();

    long totalForks();
}
