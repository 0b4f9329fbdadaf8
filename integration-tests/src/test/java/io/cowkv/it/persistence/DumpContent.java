package io.cowkv.it.persistence;

import io.cowkv.rdb.RdbReader;
import io.cowkv.rdb.RdbVisitor;
import redis.clients.jedis.Jedis;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A data set of string keys as "db:key" -> "value|expireAtMs" (-1 without TTL), read from a dump
 * with the snapshot-format reader or from a running server key by key.
 */
final class DumpContent {
    private DumpContent() {
    }

    static String entry(String value, long expireAt) {
        return value + "|" + expireAt;
    }

    /** The dump's keys through {@link RdbReader} (checksum verified). */
    static Map<String, String> read(Path file) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            RdbReader.read(in, RdbVisitor.strings((key, v) -> {
                String k = key.db() + ":" + new String(key.key(), StandardCharsets.UTF_8);
                if (out.put(k, entry(new String(v, StandardCharsets.UTF_8), key.expireAtMs())) != null) {
                    throw new AssertionError("duplicate key in dump: " + k);
                }
            }));
        }
        return out;
    }

    /** Every key of databases 0..{@code dbs-1} of a live server, with GET and PEXPIRETIME. */
    static Map<String, String> fetch(Jedis j, int dbs) {
        Map<String, String> out = new TreeMap<>();
        for (int db = 0; db < dbs; db++) {
            j.select(db);
            for (String k : j.keys("*")) {
                out.put(db + ":" + k, entry(j.get(k), j.pexpireTime(k)));
            }
        }
        j.select(0);
        return out;
    }
}
