package io.cowkv.rdb;

/** Opcodes, type bytes and length-encoding markers of the RDB format, with Redis's names. */
public final class RdbConstants {
    private RdbConstants() {
    }

    public static final int MIN_VERSION = 1;
    /** Highest RDB version this reader accepts (Redis 7.4+ writes 12). */
    public static final int MAX_VERSION = 12;
    /** Version written by default: Redis 7.0 writes 10 and every Redis from 7.0 loads it. */
    public static final int DEFAULT_VERSION = 10;

    // value types
    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_MODULE_PRE_GA = 6;
    public static final int TYPE_MODULE_2 = 7;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;
    public static final int TYPE_SET_LISTPACK = 20;
    public static final int TYPE_STREAM_LISTPACKS_3 = 21;
    public static final int TYPE_HASH_METADATA_PRE_GA = 22;
    public static final int TYPE_HASH_LISTPACK_EX_PRE_GA = 23;
    public static final int TYPE_HASH_METADATA = 24;
    public static final int TYPE_HASH_LISTPACK_EX = 25;

    // opcodes
    public static final int OPCODE_SLOT_INFO = 244;
    public static final int OPCODE_FUNCTION2 = 245;
    public static final int OPCODE_FUNCTION_PRE_GA = 246;
    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;

    // length encoding
    public static final int LEN_6BIT = 0;
    public static final int LEN_14BIT = 1;
    public static final int LEN_32BIT = 0x80;
    public static final int LEN_64BIT = 0x81;
    public static final int ENCVAL = 3;
    public static final int ENC_INT8 = 0;
    public static final int ENC_INT16 = 1;
    public static final int ENC_INT32 = 2;
    public static final int ENC_LZF = 3;

    // quicklist-2 node containers
    public static final int QUICKLIST_NODE_PLAIN = 1;
    public static final int QUICKLIST_NODE_PACKED = 2;

    // module value opcodes (RDB_MODULE_OPCODE_*)
    public static final int MODULE_OPCODE_EOF = 0;
    public static final int MODULE_OPCODE_SINT = 1;
    public static final int MODULE_OPCODE_UINT = 2;
    public static final int MODULE_OPCODE_FLOAT = 3;
    public static final int MODULE_OPCODE_DOUBLE = 4;
    public static final int MODULE_OPCODE_STRING = 5;

    /** A readable name of an RDB type byte, e.g. {@code "hash-listpack"}. */
    public static String typeName(int type) {
        switch (type) {
            case TYPE_STRING: return "string";
            case TYPE_LIST: return "list-linkedlist";
            case TYPE_SET: return "set";
            case TYPE_ZSET: return "zset";
            case TYPE_HASH: return "hash";
            case TYPE_ZSET_2: return "zset-2";
            case TYPE_MODULE_PRE_GA: return "module-pre-ga";
            case TYPE_MODULE_2: return "module-2";
            case TYPE_HASH_ZIPMAP: return "hash-zipmap";
            case TYPE_LIST_ZIPLIST: return "list-ziplist";
            case TYPE_SET_INTSET: return "set-intset";
            case TYPE_ZSET_ZIPLIST: return "zset-ziplist";
            case TYPE_HASH_ZIPLIST: return "hash-ziplist";
            case TYPE_LIST_QUICKLIST: return "list-quicklist";
            case TYPE_STREAM_LISTPACKS: return "stream-listpacks";
            case TYPE_HASH_LISTPACK: return "hash-listpack";
            case TYPE_ZSET_LISTPACK: return "zset-listpack";
            case TYPE_LIST_QUICKLIST_2: return "list-quicklist-2";
            case TYPE_STREAM_LISTPACKS_2: return "stream-listpacks-2";
            case TYPE_SET_LISTPACK: return "set-listpack";
            case TYPE_STREAM_LISTPACKS_3: return "stream-listpacks-3";
            case TYPE_HASH_METADATA_PRE_GA: return "hash-metadata-pre-ga";
            case TYPE_HASH_LISTPACK_EX_PRE_GA: return "hash-listpack-ex-pre-ga";
            case TYPE_HASH_METADATA: return "hash-metadata";
            case TYPE_HASH_LISTPACK_EX: return "hash-listpack-ex";
            default: return "unknown-" + type;
        }
    }
}
