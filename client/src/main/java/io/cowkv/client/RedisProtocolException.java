package io.cowkv.client;

/** The server sent bytes that are not valid RESP (or exceed the decoder's limits). */
public class RedisProtocolException extends RedisException {
    public RedisProtocolException(String message) {
        super(message);
    }
}
