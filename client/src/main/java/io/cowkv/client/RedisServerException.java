package io.cowkv.client;

/**
 * The server answered a command with an error reply. {@link #getMessage()} and
 * {@link #errorText()} are the server's text exactly (without the leading {@code -}), e.g.
 * {@code ERR wrong number of arguments for 'get' command}.
 */
public class RedisServerException extends RedisException {
    private final String errorText;

    public RedisServerException(String errorText) {
        super(errorText);
        this.errorText = errorText;
    }

    /** The full error text as the server sent it. */
    public String errorText() {
        return errorText;
    }

    /** The error code: the first word of the text, e.g. {@code ERR}, {@code WRONGTYPE}. */
    public String errorCode() {
        int sp = errorText.indexOf(' ');
        return sp < 0 ? errorText : errorText.substring(0, sp);
    }
}
