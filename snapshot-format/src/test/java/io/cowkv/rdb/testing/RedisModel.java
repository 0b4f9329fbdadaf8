package io.cowkv.rdb.testing;

import io.cowkv.rdb.RdbValueKind;
import io.cowkv.rdb.encoding.RedisNumbers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Moves a {@link Model} into and out of a live Redis through RESP. */
public final class RedisModel {
    private RedisModel() {
    }

    /** Issues the commands that create every key of the model (FLUSHALL first). */
    @SuppressWarnings("unchecked")
    public static void load(Resp r, Model m) throws IOException {
        r.ok("FLUSHALL");
        for (Map.Entry<Long, Map<String, Model.Entry>> db : m.dbs.entrySet()) {
            r.ok("SELECT", db.getKey());
            for (Map.Entry<String, Model.Entry> ke : db.getValue().entrySet()) {
                byte[] key = Model.b(ke.getKey());
                Model.Entry e = ke.getValue();
                List<Object> cmd = new ArrayList<>();
                switch (e.kind()) {
                    case STRING -> cmd.addAll(List.of("SET", key, Model.b((String) e.value())));
                    case LIST -> {
                        cmd.addAll(List.of("RPUSH", key));
                        for (String x : (List<String>) e.value()) {
                            cmd.add(Model.b(x));
                        }
                    }
                    case SET -> {
                        cmd.addAll(List.of("SADD", key));
                        for (String x : (Set<String>) e.value()) {
                            cmd.add(Model.b(x));
                        }
                    }
                    case ZSET -> {
                        cmd.addAll(List.of("ZADD", key));
                        for (Map.Entry<String, Double> x : ((Map<String, Double>) e.value()).entrySet()) {
                            cmd.add(RedisNumbers.formatDouble(x.getValue()));
                            cmd.add(Model.b(x.getKey()));
                        }
                    }
                    case HASH -> {
                        cmd.addAll(List.of("HSET", key));
                        for (Map.Entry<String, String> x : ((Map<String, String>) e.value()).entrySet()) {
                            cmd.add(Model.b(x.getKey()));
                            cmd.add(Model.b(x.getValue()));
                        }
                    }
                    default -> throw new IllegalArgumentException();
                }
                // send in batches: Redis 7.0 converts encodings by size only between commands
                int per = e.kind() == RdbValueKind.ZSET || e.kind() == RdbValueKind.HASH ? 2 : 1;
                int step = 64 * per;
                if (e.kind() == RdbValueKind.STRING || cmd.size() <= 2 + step) {
                    r.ok(cmd.toArray());
                } else {
                    for (int i = 2; i < cmd.size(); i += step) {
                        List<Object> part = new ArrayList<>(cmd.subList(0, 2));
                        part.addAll(cmd.subList(i, Math.min(cmd.size(), i + step)));
                        r.ok(part.toArray());
                    }
                }
                if (e.expireAtMs() >= 0) {
                    r.ok("PEXPIREAT", key, e.expireAtMs());
                }
            }
        }
    }

    /** Reads every key of databases 0..15 back into a model. */
    @SuppressWarnings("unchecked")
    public static Model fetch(Resp r) throws IOException {
        Model m = new Model();
        for (long db = 0; db < 16; db++) {
            r.ok("SELECT", db);
            List<Object> keys = (List<Object>) r.ok("KEYS", "*");
            for (Object ko : keys) {
                byte[] key = (byte[]) ko;
                String type = (String) r.ok("TYPE", key);
                long ttl = (Long) r.ok("PEXPIRETIME", key);
                Object value;
                RdbValueKind kind;
                switch (type) {
                    case "string" -> {
                        kind = RdbValueKind.STRING;
                        value = Model.s((byte[]) r.ok("GET", key));
                    }
                    case "list" -> {
                        kind = RdbValueKind.LIST;
                        List<String> l = new ArrayList<>();
                        for (Object o : (List<Object>) r.ok("LRANGE", key, 0, -1)) {
                            l.add(Model.s((byte[]) o));
                        }
                        value = l;
                    }
                    case "set" -> {
                        kind = RdbValueKind.SET;
                        Set<String> l = new LinkedHashSet<>();
                        for (Object o : (List<Object>) r.ok("SMEMBERS", key)) {
                            l.add(Model.s((byte[]) o));
                        }
                        value = l;
                    }
                    case "zset" -> {
                        kind = RdbValueKind.ZSET;
                        Map<String, Double> l = new LinkedHashMap<>();
                        List<Object> o = (List<Object>) r.ok("ZRANGE", key, 0, -1, "WITHSCORES");
                        for (int i = 0; i < o.size(); i += 2) {
                            byte[] sc = (byte[]) o.get(i + 1);
                            l.put(Model.s((byte[]) o.get(i)), RedisNumbers.parseDouble(sc, 0, sc.length));
                        }
                        value = l;
                    }
                    case "hash" -> {
                        kind = RdbValueKind.HASH;
                        Map<String, String> l = new LinkedHashMap<>();
                        List<Object> o = (List<Object>) r.ok("HGETALL", key);
                        for (int i = 0; i < o.size(); i += 2) {
                            l.put(Model.s((byte[]) o.get(i)), Model.s((byte[]) o.get(i + 1)));
                        }
                        value = l;
                    }
                    default -> throw new IOException("unexpected type " + type);
                }
                m.put(db, Model.s(key), kind, ttl, value);
            }
        }
        r.ok("SELECT", 0);
        return m;
    }
}
