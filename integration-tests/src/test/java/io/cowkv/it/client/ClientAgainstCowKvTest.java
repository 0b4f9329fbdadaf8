package io.cowkv.it.client;

/** The client library against the packaged CowKV server. */
class ClientAgainstCowKvTest extends ClientContract {
    @Override
    FixedPortServer.Kind kind() {
        return FixedPortServer.Kind.COWKV;
    }
}
