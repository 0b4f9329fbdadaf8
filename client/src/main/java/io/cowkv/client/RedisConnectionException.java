package io.cowkv.client;

/**
 * The connection could not be established, or it broke (closed by the server, reset, protocol
 * error, closed by the application) while the command was queued or waiting for its reply. A
 * command that fails with this exception may or may not have been executed by the server.
 */
public class RedisConnectionException extends RedisException {
    public RedisConnectionException(String message) {
        super(message);
    }

    public RedisConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
