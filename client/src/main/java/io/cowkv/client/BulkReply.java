package io.cowkv.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** RESP {@code $5\r\nhello}: a binary-safe string. Equality compares the bytes. */
public record BulkReply(byte[] bytes) implements Reply {
    public static BulkReply of(String s) {
        return new BulkReply(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public char typeByte() {
        return '$';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BulkReply b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BulkReply[" + (bytes.length <= 64
                ? new String(bytes, StandardCharsets.UTF_8)
                : new String(bytes, 0, 64, StandardCharsets.UTF_8) + "...(" + bytes.length + " bytes)") + "]";
    }
}
