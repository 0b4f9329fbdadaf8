package io.cowkv.rdb.testing;

import io.cowkv.rdb.RdbKeyInfo;
import io.cowkv.rdb.RdbValueKind;
import io.cowkv.rdb.RdbVisitor;
import io.cowkv.rdb.RdbWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A simple in-memory model of a data set for tests. Byte strings are held as ISO-8859-1 Java strings
 * (one char per byte, lossless). Values: String, List of String, Set of String, Map String to Double
 * (zset), Map String to String (hash).
 */
public final class Model {
    public record Entry(RdbValueKind kind, long expireAtMs, Object value) {
    }

    public final Map<Long, Map<String, Entry>> dbs = new TreeMap<>();
    public final Map<String, String> aux = new LinkedHashMap<>();

    public static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    public static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public Map<String, Entry> db(long n) {
        return dbs.computeIfAbsent(n, k -> new LinkedHashMap<>());
    }

    public Model put(long db, String key, RdbValueKind kind, long expire, Object value) {
        db(db).put(key, new Entry(kind, expire, value));
        return this;
    }

    /** The model without keys whose expiry is before {@code nowMs} (what a Redis master loads). */
    public Model withoutExpiredAt(long nowMs) {
        Model m = new Model();
        dbs.forEach((db, keys) -> keys.forEach((k, e) -> {
            if (e.expireAtMs() < 0 || e.expireAtMs() > nowMs) {
                m.db(db).put(k, e);
            }
        }));
        m.dbs.values().removeIf(Map::isEmpty);
        return m;
    }

    /** Differences between two models' databases (key by key, short), empty if equal. */
    public static List<String> diff(Model expected, Model actual) {
        List<String> out = new ArrayList<>();
        java.util.Set<Long> dbIds = new java.util.TreeSet<>(expected.dbs.keySet());
        dbIds.addAll(actual.dbs.keySet());
        for (Long db : dbIds) {
            Map<String, Entry> e = expected.dbs.getOrDefault(db, Map.of());
            Map<String, Entry> a = actual.dbs.getOrDefault(db, Map.of());
            java.util.Set<String> keys = new java.util.TreeSet<>(e.keySet());
            keys.addAll(a.keySet());
            for (String k : keys) {
                Entry x = e.get(k);
                Entry y = a.get(k);
                if (x == null || y == null || !x.equals(y)) {
                    out.add("db " + db + " key '" + abbrev(k) + "': expected " + abbrev(String.valueOf(x))
                            + " but was " + abbrev(String.valueOf(y)));
                }
            }
        }
        return out;
    }

    private static String abbrev(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
    }

    /** Writes the model with the given writer: header, aux, every db with RESIZEDB, finish. */
    @SuppressWarnings("unchecked")
    public void writeTo(RdbWriter w) throws IOException {
        w.writeHeader();
        for (Map.Entry<String, String> a : aux.entrySet()) {
            w.writeAux(b(a.getKey()), b(a.getValue()));
        }
        for (Map.Entry<Long, Map<String, Entry>> db : dbs.entrySet()) {
            w.selectDb(db.getKey());
            long expires = db.getValue().values().stream().filter(e -> e.expireAtMs() >= 0).count();
            w.resizeDb(db.getValue().size(), expires);
            for (Map.Entry<String, Entry> ke : db.getValue().entrySet()) {
                byte[] key = b(ke.getKey());
                Entry e = ke.getValue();
                switch (e.kind()) {
                    case STRING -> w.writeStringKey(key, b((String) e.value()), e.expireAtMs());
                    case LIST -> {
                        List<String> l = (List<String>) e.value();
                        w.beginList(key, e.expireAtMs(), l.size());
                        for (String x : l) {
                            w.listElement(b(x));
                        }
                        w.endList();
                    }
                    case SET -> {
                        Set<String> l = (Set<String>) e.value();
                        w.beginSet(key, e.expireAtMs(), l.size());
                        for (String x : l) {
                            w.setMember(b(x));
                        }
                        w.endSet();
                    }
                    case ZSET -> {
                        Map<String, Double> l = (Map<String, Double>) e.value();
                        w.beginZSet(key, e.expireAtMs(), l.size());
                        for (Map.Entry<String, Double> x : l.entrySet()) {
                            w.zsetMember(b(x.getKey()), x.getValue());
                        }
                        w.endZSet();
                    }
                    case HASH -> {
                        Map<String, String> l = (Map<String, String>) e.value();
                        w.beginHash(key, e.expireAtMs(), l.size());
                        for (Map.Entry<String, String> x : l.entrySet()) {
                            w.hashField(b(x.getKey()), b(x.getValue()));
                        }
                        w.endHash();
                    }
                    default -> throw new IllegalArgumentException(e.kind().toString());
                }
            }
        }
        w.finish();
    }

    /** A visitor that builds a model (and records encodings per key). */
    public static class Collector implements RdbVisitor {
        public final Model model = new Model();
        public final Map<String, String> encodings = new LinkedHashMap<>();
        public int version;
        public boolean checksumVerified;
        private RdbKeyInfo cur;
        private Object value;

        @Override
        public void startRdb(int v) {
            version = v;
        }

        @Override
        public void aux(byte[] key, byte[] v) {
            model.aux.put(s(key), s(v));
        }

        @Override
        public void beginKey(RdbKeyInfo key) {
            cur = key;
            encodings.put(key.db() + ":" + s(key.key()), key.encoding());
            value = switch (key.kind()) {
                case STRING -> null;
                case LIST -> new ArrayList<String>();
                case SET -> new LinkedHashSet<String>();
                case ZSET -> new LinkedHashMap<String, Double>();
                case HASH -> new LinkedHashMap<String, String>();
                default -> throw new IllegalStateException();
            };
        }

        @Override
        public void stringValue(byte[] v) {
            value = s(v);
        }

        @SuppressWarnings("unchecked")
        @Override
        public void listElement(byte[] e) {
            ((List<String>) value).add(s(e));
        }

        @SuppressWarnings("unchecked")
        @Override
        public void setMember(byte[] m) {
            ((Set<String>) value).add(s(m));
        }

        @SuppressWarnings("unchecked")
        @Override
        public void zsetMember(byte[] m, double score) {
            ((Map<String, Double>) value).put(s(m), score);
        }

        @SuppressWarnings("unchecked")
        @Override
        public void hashField(byte[] f, byte[] v) {
            ((Map<String, String>) value).put(s(f), s(v));
        }

        @Override
        public void endKey() {
            model.put(cur.db(), s(cur.key()), cur.kind(), cur.expireAtMs(), value);
        }

        @Override
        public void endRdb(long checksum, boolean verified) {
            checksumVerified = verified;
        }
    }
}
