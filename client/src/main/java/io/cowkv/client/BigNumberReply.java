package io.cowkv.client;

import java.math.BigInteger;

/** RESP3 {@code (3492890328409238509324850943850943825024385}. */
public record BigNumberReply(BigInteger value) implements Reply {
    @Override
    public char typeByte() {
        return '(';
    }
}
