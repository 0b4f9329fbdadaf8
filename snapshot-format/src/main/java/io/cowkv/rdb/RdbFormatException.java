package io.cowkv.rdb;

import java.io.IOException;

/**
 * The input is not a valid RDB file (corrupt, truncated, unsupported). The only exception type
 * {@link RdbReader} throws for bad input; {@link #offset()} is the byte offset in the file where the
 * problem was found (or -1 if unknown). I/O errors of the underlying stream surface as plain
 * {@link IOException}s, exceptions thrown by a visitor propagate unchanged.
 */
public class RdbFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public RdbFormatException(String message, long offset) {
        super(message + (offset >= 0 ? " (at byte offset " + offset + ")" : ""));
        this.offset = offset;
    }

    public RdbFormatException(String message, long offset, Throwable cause) {
        this(message, offset);
        initCause(cause);
    }

    /** Byte offset in the RDB stream where the problem was detected, -1 if unknown. */
    public long offset() {
        return offset;
    }
}
