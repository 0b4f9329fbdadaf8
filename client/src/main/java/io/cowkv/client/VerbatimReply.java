package io.cowkv.client;

/**
 * RESP3 {@code =15\r\ntxt:Some string}: a string with a three-letter format ({@code txt},
 * {@code mkd}).
 */
public record VerbatimReply(String format, String text) implements Reply {
    @Override
    public char typeByte() {
        return '=';
    }
}
