package io.cowkv.server.keyspace;

/** The Redis data types, with the names TYPE replies with. */
public enum ValueType {
    STRING("string"), LIST("list"), SET("set"), ZSET("zset"), HASH("hash");

    private final String redisName;

    ValueType(String redisName) {
        this.redisName = redisName;
    }

    public String redisName() {
        return redisName;
    }
}
