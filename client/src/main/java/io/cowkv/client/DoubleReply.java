package io.cowkv.client;

/** RESP3 {@code ,3.14} (also {@code inf}, {@code -inf}, {@code nan}). */
public record DoubleReply(double value) implements Reply {
    @Override
    public char typeByte() {
        return ',';
    }
}
