package io.cowkv.client;

/** RESP {@code +OK}: a short status text. */
public record SimpleStringReply(String value) implements Reply {
    public static final SimpleStringReply OK = new SimpleStringReply("OK");

    @Override
    public char typeByte() {
        return '+';
    }
}
