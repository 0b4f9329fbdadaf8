package io.cowkv.rdb;

/**
 * What the reader knows about a key when its value starts: passed to {@link RdbVisitor#beginKey}.
 *
 * @param db          database number of the last SELECTDB (0 if none)
 * @param key         the key bytes (a fresh array the visitor may keep)
 * @param rdbType     the RDB type byte (see {@link RdbConstants}, e.g. {@code TYPE_HASH_LISTPACK})
 * @param kind        the Redis data type
 * @param expireAtMs  absolute expiry in Unix milliseconds, or -1 if the key has no TTL
 * @param idleSeconds LRU idle time from an IDLE opcode, or -1
 * @param lfuFreq     LFU counter from a FREQ opcode, or -1
 * @param sizeHint    number of elements (pairs for hashes) if the encoding tells it up front, else -1
 * @param offset      byte offset of the type byte in the file
 */
public record RdbKeyInfo(long db, byte[] key, int rdbType, RdbValueKind kind, long expireAtMs, long idleSeconds,
                         int lfuFreq, long sizeHint, long offset) {

    /** Readable encoding name of {@link #rdbType()}, e.g. {@code "zset-listpack"}. */
    public String encoding() {
        return RdbConstants.typeName(rdbType);
    }
}
