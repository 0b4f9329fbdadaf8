package io.cowkv.rdb;

/** The Redis data type of a key, independent of the encoding it was stored in. */
public enum RdbValueKind {
    STRING("string"), LIST("list"), SET("set"), ZSET("zset"), HASH("hash"), STREAM("stream"), MODULE("module");

    private final String redisName;

    RdbValueKind(String redisName) {
        this.redisName = redisName;
    }

    /** The name Redis's {@code TYPE} command replies with. */
    public String redisName() {
        return redisName;
    }

    /** The kind of an RDB type byte, or {@code null} if the byte is not a known value type. */
    public static RdbValueKind ofRdbType(int type) {
        switch (type) {
            case RdbConstants.TYPE_STRING:
                return STRING;
            case RdbConstants.TYPE_LIST:
            case RdbConstants.TYPE_LIST_ZIPLIST:
            case RdbConstants.TYPE_LIST_QUICKLIST:
            case RdbConstants.TYPE_LIST_QUICKLIST_2:
                return LIST;
            case RdbConstants.TYPE_SET:
            case RdbConstants.TYPE_SET_INTSET:
            case RdbConstants.TYPE_SET_LISTPACK:
                return SET;
            case RdbConstants.TYPE_ZSET:
            case RdbConstants.TYPE_ZSET_2:
            case RdbConstants.TYPE_ZSET_ZIPLIST:
            case RdbConstants.TYPE_ZSET_LISTPACK:
                return ZSET;
            case RdbConstants.TYPE_HASH:
            case RdbConstants.TYPE_HASH_ZIPMAP:
            case RdbConstants.TYPE_HASH_ZIPLIST:
            case RdbConstants.TYPE_HASH_LISTPACK:
            case RdbConstants.TYPE_HASH_METADATA_PRE_GA:
            case RdbConstants.TYPE_HASH_LISTPACK_EX_PRE_GA:
            case RdbConstants.TYPE_HASH_METADATA:
            case RdbConstants.TYPE_HASH_LISTPACK_EX:
                return HASH;
            case RdbConstants.TYPE_STREAM_LISTPACKS:
            case RdbConstants.TYPE_STREAM_LISTPACKS_2:
            case RdbConstants.TYPE_STREAM_LISTPACKS_3:
                return STREAM;
            case RdbConstants.TYPE_MODULE_PRE_GA:
            case RdbConstants.TYPE_MODULE_2:
                return MODULE;
            default:
                return null;
        }
    }
}
