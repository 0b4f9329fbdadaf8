package io.cowkv.client;

/** Base of every exception this client completes a future with. */
public class RedisException extends RuntimeException {
    public RedisException(String message) {
        super(message);
    }

    public RedisException(String message, Throwable cause) {
        super(message, cause);
    }
}
