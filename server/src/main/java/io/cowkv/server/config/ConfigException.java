package io.cowkv.server.config;

/** A configuration value or directive was refused; the message says why, in Redis's words. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
