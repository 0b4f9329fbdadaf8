package io.cowkv.it.client;

import io.cowkv.it.RedisProcess;
import io.cowkv.it.ServerProcess;

/** The client library against a real redis-server (skipped where it is not installed). */
class ClientAgainstRedisTest extends ClientContract {
    @Override
    ServerProcess newServer() {
        RedisProcess.assumeAvailable();
        return new RedisProcess();
    }
}
