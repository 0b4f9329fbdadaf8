package io.cowkv.rdb;

import java.io.IOException;

/**
 * Callbacks of {@link RdbReader}, called on the reading thread in file order. Every method has an empty
 * default, so a visitor implements only what it needs. Byte arrays passed in are fresh and may be kept.
 *
 * <p>Per key the order is {@link #beginKey}, then value callbacks matching {@link RdbKeyInfo#kind()}
 * (one {@link #stringValue}, or any number of {@link #listElement} / {@link #setMember} /
 * {@link #zsetMember} / {@link #hashField}), then {@link #endKey}. A collection is streamed: a large hash
 * is never held whole by the reader (only one encoded node/blob at a time).
 *
 * <p>Exceptions a visitor throws abort the read and propagate unchanged to the caller of
 * {@link RdbReader#read}.
 */
public interface RdbVisitor {
    /** The header was read. */
    default void startRdb(int version) throws IOException {
    }

    default void aux(byte[] key, byte[] value) throws IOException {
    }

    default void selectDb(long db) throws IOException {
    }

    default void resizeDb(long dbSize, long expiresSize) throws IOException {
    }

    /** A Redis Functions library (FUNCTION2 opcode): its source code. */
    default void function(byte[] code) throws IOException {
    }

    default void beginKey(RdbKeyInfo key) throws IOException {
    }

    default void stringValue(byte[] value) throws IOException {
    }

    /**
     * Whether a raw (not LZF, not integer) string value of {@code length} bytes should come in
     * pieces ({@link #stringPiece}, then {@link #stringEnd}) instead of whole through
     * {@link #stringValue}: for values too large for the reader's heap. No by default.
     */
    default boolean streamString(long length) throws IOException {
        return false;
    }

    /** The next piece of a streamed string value; {@code b} is the reader's buffer, valid during the call only. */
    default void stringPiece(byte[] b, int off, int len) throws IOException {
    }

    /** The streamed string value is complete. */
    default void stringEnd() throws IOException {
    }

    default void listElement(byte[] element) throws IOException {
    }

    default void setMember(byte[] member) throws IOException {
    }

    default void zsetMember(byte[] member, double score) throws IOException {
    }

    default void hashField(byte[] field, byte[] value) throws IOException {
    }

    default void endKey() throws IOException {
    }

    /**
     * A record was skipped because the reader was asked to skip unsupported records.
     *
     * @param key  the key's info if the record was a key (module or stream value), else null
     * @param what what was skipped, e.g. "module aux data" or "stream-listpacks-3 value"
     */
    default void skipped(RdbKeyInfo key, String what) throws IOException {
    }

    /**
     * The EOF opcode and checksum were read.
     *
     * @param checksum the stored CRC-64 (0 if the file has none or was saved without one)
     * @param verified whether the checksum was compared (and matched) with the computed one
     */
    default void endRdb(long checksum, boolean verified) throws IOException {
    }

    /** Receives each string-valued key of a dump: its header and its value. */
    @FunctionalInterface
    interface StringSink {
        void string(RdbKeyInfo key, byte[] value) throws IOException;
    }

    /** A visitor that hands every string-valued key to {@code sink}, in file order; keys of other types are ignored. */
    static RdbVisitor strings(StringSink sink) {
        return new RdbVisitor() {
            private RdbKeyInfo key;

            @Override
            public void beginKey(RdbKeyInfo k) {
                key = k;
            }

            @Override
            public void stringValue(byte[] value) throws IOException {
                sink.string(key, value);
            }
        };
    }
}
