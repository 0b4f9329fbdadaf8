package io.cowkv.server.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One error reply with Redis's exact bytes, pre-encoded ({@code -PREFIX message\r\n}).
 * The prefix ({@code ERR}, {@code WRONGTYPE}, {@code OOM}...) is the error type that metrics count.
 */
public final class ErrorReply {
    private final String text;
    private final byte[] encoded;
    private final String type;

    public ErrorReply(String text) {
        this.text = text;
        this.encoded = ("-" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
        int sp = text.indexOf(' ');
        this.type = sp < 0 ? text : text.substring(0, sp);
    }

    /** The error line without the leading '-' and trailing CRLF. */
    public String text() {
        return text;
    }

    /** The error type: the first word of the text (e.g. ERR, WRONGTYPE). */
    public String type() {
        return type;
    }

    byte[] encoded() {
        return encoded;
    }

    @Override
    public String toString() {
        return text;
    }
}
