package io.cowkv.it.client;

import io.cowkv.it.CowKvProcess;
import io.cowkv.it.ServerProcess;

/** The client library against the packaged CowKV server. */
class ClientAgainstCowKvTest extends ClientContract {
    @Override
    ServerProcess newServer() {
        return new CowKvProcess();
    }
}
