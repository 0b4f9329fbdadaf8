package io.cowkv.client;

/**
 * No reply arrived within the command timeout. The connection stays open: the late reply, if it
 * comes, is matched to its command and dropped, so later commands still get their own replies.
 */
public class RedisTimeoutException extends RedisException {
    public RedisTimeoutException(String message) {
        super(message);
    }
}
