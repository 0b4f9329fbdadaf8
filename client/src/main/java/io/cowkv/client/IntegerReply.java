package io.cowkv.client;

/** RESP {@code :42}. */
public record IntegerReply(long value) implements Reply {
    @Override
    public char typeByte() {
        return ':';
    }
}
