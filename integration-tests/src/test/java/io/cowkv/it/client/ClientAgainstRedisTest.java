package io.cowkv.it.client;

/** The client library against a real redis-server (skipped where it is not installed). */
class ClientAgainstRedisTest extends ClientContract {
    @Override
    FixedPortServer.Kind kind() {
        return FixedPortServer.Kind.REDIS;
    }
}
