package io.cowkv.server.keyspace;

/** Milliseconds since the epoch; injected so expiry can be tested without waiting. */
@FunctionalInterface
public interface Clock {
    long millis();

    Clock SYSTEM = System::currentTimeMillis;
}
