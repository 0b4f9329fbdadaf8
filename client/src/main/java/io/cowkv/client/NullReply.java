package io.cowkv.client;

/** RESP3 {@code _}, and RESP2's null bulk string {@code $-1} and null array {@code *-1}. */
public enum NullReply implements Reply {
    INSTANCE;

    @Override
    public char typeByte() {
        return '_';
    }
}
