package io.cowkv.client;

/** RESP3 {@code #t} / {@code #f}. */
public record BooleanReply(boolean value) implements Reply {
    @Override
    public char typeByte() {
        return '#';
    }
}
