package io.cowkv.rdb;

/**
 * The file is well-formed as far as it was read, but holds a record this library does not decode
 * (module values, streams, functions, hash fields with TTLs, ...) and the reader was not asked to skip it.
 */
public class RdbUnsupportedException extends RdbFormatException {
    private static final long serialVersionUID = 1L;

    public RdbUnsupportedException(String message, long offset) {
        super(message, offset);
    }
}
