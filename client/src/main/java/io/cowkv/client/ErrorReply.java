package io.cowkv.client;

/**
 * RESP {@code -ERR ...} or RESP3 blob error {@code !}. Top-level errors fail the command's future
 * with {@link RedisServerException}; error replies nested inside aggregates (e.g. in the reply of
 * {@code EXEC}) are delivered as values of this type.
 *
 * @param message the full error text without the leading {@code -}, e.g.
 *     {@code "WRONGTYPE Operation against a key holding the wrong kind of value"}
 */
public record ErrorReply(String message) implements Reply {
    /** The first word of the message, e.g. {@code ERR} or {@code WRONGTYPE}. */
    public String code() {
        int sp = message.indexOf(' ');
        return sp < 0 ? message : message.substring(0, sp);
    }

    @Override
    public char typeByte() {
        return '-';
    }
}
