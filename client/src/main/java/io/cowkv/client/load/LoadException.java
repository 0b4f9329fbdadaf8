package io.cowkv.client.load;

/** A scenario cannot run (unreachable server, no BGSAVE, ...): one message for the user. */
public class LoadException extends RuntimeException {
    public LoadException(String message) {
        super(message);
    }

    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
