package io.cowkv.server.keyspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One of the numbered databases: a dictionary of keys with lazy expiry.
 *
 * <p>Provisional on-heap implementation (issue 3 moves keys and values into the paged arena
 * behind this same API). Contract: confined to the keyspace thread; key and value slices passed
 * in are copied when stored, never retained.
 */
public final class Database {
    private final int id;
    private final KeyspaceStats stats;
    private final Clock clock;
    private final HashMap<Key, Entry> dict = new HashMap<>();
    private final Key.Probe probe = new Key.Probe();
    private long expires;

    Database(int id, KeyspaceStats stats, Clock clock) {
        this.id = id;
        this.stats = stats;
        this.clock = clock;
    }

    public int id() {
        return id;
    }

    public long size() {
        return dict.size();
    }

    /** Number of keys with an expire time. */
    public long expires() {
        return expires;
    }

    /**
     * Finds a live key for reading, deleting it first if its time has passed (lazy expiry), and
     * counts a keyspace hit or miss. Returns null when absent.
     */
    public Entry lookupRead(byte[] k, int off, int len) {
        Entry e = lookup(k, off, len);
        if (e == null) {
            stats.keyspaceMisses++;
        } else {
            stats.keyspaceHits++;
        }
        return e;
    }

    /** Finds a live key (lazy expiry applied) without touching hit/miss statistics. */
    public Entry lookup(byte[] k, int off, int len) {
        probe.set(k, off, len);
        Entry e = dict.get(probe);
        if (e == null) {
            return null;
        }
        if (e.expireAt != Entry.NO_EXPIRE && e.expireAt <= clock.millis()) {
            dict.remove(probe);
            expires--;
            stats.expiredKeys++;
            return null;
        }
        e.lastAccess = clock.millis();
        return e;
    }

    /** Finds a live key (lazy expiry applied) without updating its access time (OBJECT, SCAN TYPE). */
    public Entry peek(byte[] k, int off, int len) {
        probe.set(k, off, len);
        Entry e = dict.get(probe);
        if (e != null && e.expireAt != Entry.NO_EXPIRE && e.expireAt <= clock.millis()) {
            return lookup(k, off, len);
        }
        return e;
    }

    public Entry lookup(byte[] k) {
        return lookup(k, 0, k.length);
    }

    /**
     * Stores a string value (copied), replacing any value of any type; clears the TTL unless
     * {@code keepTtl}. Returns the stored entry (valid until the next call on this keyspace).
     */
    public Entry setString(byte[] k, int off, int len, byte[] v, int voff, int vlen, boolean keepTtl) {
        return setString(k, off, len, v, voff, vlen, keepTtl, Entry.AUTO);
    }

    /**
     * As above with an explicit encoding choice: {@link Entry#AUTO} (int when the bytes are a
     * canonical integer, as SET), {@link Entry#NO_INT} (never int, as INCRBYFLOAT results) or
     * {@link Entry#RAW} (as APPEND and SETRANGE results).
     */
    public Entry setString(byte[] k, int off, int len, byte[] v, int voff, int vlen, boolean keepTtl, int mode) {
        Object value;
        if (mode == Entry.AUTO) {
            value = encode(v, voff, vlen);
        } else {
            byte[] copy = new byte[vlen];
            System.arraycopy(v, voff, copy, 0, vlen);
            value = copy;
        }
        Entry e = put(k, off, len, value, keepTtl);
        e.raw = mode == Entry.RAW;
        return e;
    }

    /** Stores an integer as a string value (Redis's "int" encoding). */
    public Entry setLong(byte[] k, int off, int len, long v, boolean keepTtl) {
        Entry e = put(k, off, len, v, keepTtl);
        e.raw = false;
        return e;
    }

    private final long[] tmp = new long[1];

    private Object encode(byte[] b, int off, int len) {
        if (len <= 20 && io.cowkv.server.util.Numbers.parseLong(b, off, len, tmp)) {
            return tmp[0];
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        return copy;
    }

    private Entry put(byte[] k, int off, int len, Object value, boolean keepTtl) {
        probe.set(k, off, len);
        Entry e = dict.get(probe);
        if (e == null) {
            e = new Entry(ValueType.STRING, value);
            dict.put(new Key(copy(k, off, len)), e);
        } else {
            e.type = ValueType.STRING;
            e.value = value;
            if (!keepTtl && e.expireAt != Entry.NO_EXPIRE) {
                e.expireAt = Entry.NO_EXPIRE;
                expires--;
            }
        }
        e.lastAccess = clock.millis();
        return e;
    }

    /**
     * Copies key {@code k}'s value (and TTL) to key {@code dk} in {@code dst}, which may be this
     * database. Returns false when {@code k} is missing or {@code dk} exists and not {@code replace}.
     */
    public boolean copy(byte[] k, Database dst, byte[] dk, boolean replace) {
        Entry src = lookup(k);
        if (src == null) {
            return false;
        }
        if (dst.lookup(dk) != null) {
            if (!replace) {
                return false;
            }
            dst.delete(dk);
        }
        Object v = src.value instanceof byte[] ? ((byte[]) src.value).clone() : src.value;
        dst.add(dk, src.type, v, src.expireAt);
        return true;
    }

    /** Renames {@code k} to {@code nk} (overwriting it), keeping value and TTL; false when {@code k} is missing. */
    public boolean rename(byte[] k, byte[] nk) {
        Entry src = lookup(k);
        if (src == null) {
            return false;
        }
        if (java.util.Arrays.equals(k, nk)) {
            return true;
        }
        delete(nk);
        probe.set(k, 0, k.length);
        Entry e = dict.remove(probe);
        dict.put(new Key(nk.clone()), e);
        return true;
    }

    /** Moves {@code k} to {@code dst}; false when missing here or present there. */
    public boolean move(byte[] k, Database dst) {
        Entry src = lookup(k);
        if (src == null || dst.lookup(k) != null) {
            return false;
        }
        dst.add(k, src.type, src.value, src.expireAt);
        delete(k);
        return true;
    }

    /** Adds a new key with any value; the key must not exist. */
    Entry add(byte[] key, ValueType type, Object value, long expireAt) {
        Entry e = new Entry(type, value);
        e.lastAccess = clock.millis();
        dict.put(new Key(key.clone()), e);
        setExpire(e, expireAt);
        return e;
    }

    /** Sets (or with {@link Entry#NO_EXPIRE} removes) the absolute expire time of a stored entry. */
    public void setExpire(Entry e, long expireAt) {
        if (e.expireAt == Entry.NO_EXPIRE && expireAt != Entry.NO_EXPIRE) {
            expires++;
        } else if (e.expireAt != Entry.NO_EXPIRE && expireAt == Entry.NO_EXPIRE) {
            expires--;
        }
        e.expireAt = expireAt;
    }

    /** Deletes a key; returns true when it existed (and was not expired). */
    public boolean delete(byte[] k, int off, int len) {
        if (lookup(k, off, len) == null) {
            return false;
        }
        Entry e = dict.remove(probe);
        if (e.expireAt != Entry.NO_EXPIRE) {
            expires--;
        }
        return true;
    }

    public boolean delete(byte[] k) {
        return delete(k, 0, k.length);
    }

    public void clear() {
        dict.clear();
        expires = 0;
    }

    /** A random live key or null (expired keys met on the way are deleted, as Redis does). */
    public byte[] randomKey() {
        for (int attempt = 0; attempt < 100 && !dict.isEmpty(); attempt++) {
            int skip = ThreadLocalRandom.current().nextInt(dict.size());
            Iterator<Key> it = dict.keySet().iterator();
            for (int i = 0; i < skip; i++) {
                it.next();
            }
            byte[] k = it.next().toBytes();
            if (lookup(k) != null) {
                return k;
            }
        }
        return null;
    }

    /** Snapshot of all live keys (for KEYS and SCAN on the provisional store). */
    public List<byte[]> keys() {
        long now = clock.millis();
        List<byte[]> out = new ArrayList<>(dict.size());
        for (Map.Entry<Key, Entry> me : dict.entrySet()) {
            Entry e = me.getValue();
            if (e.expireAt == Entry.NO_EXPIRE || e.expireAt > now) {
                out.add(me.getKey().toBytes());
            }
        }
        return out;
    }

    /** Copies of every string entry as {key, value, expireAt} (provisional freeze). */
    java.util.List<Object[]> snapshotEntries() {
        List<Object[]> out = new ArrayList<>(dict.size());
        for (Map.Entry<Key, Entry> me : dict.entrySet()) {
            Entry e = me.getValue();
            if (e.type == ValueType.STRING) {
                out.add(new Object[]{me.getKey().toBytes().clone(), e.stringBytes(), e.expireAt});
            }
        }
        return out;
    }

    /**
     * Active expiry: samples up to {@code samples} keys with a TTL and deletes the expired ones.
     * Returns the number deleted.
     */
    public int expireSample(int samples) {
        if (expires == 0) {
            return 0;
        }
        long now = clock.millis();
        int deleted = 0;
        int seen = 0;
        Iterator<Map.Entry<Key, Entry>> it = dict.entrySet().iterator();
        while (it.hasNext() && seen < samples) {
            Entry e = it.next().getValue();
            if (e.expireAt == Entry.NO_EXPIRE) {
                continue;
            }
            seen++;
            if (e.expireAt <= now) {
                it.remove();
                expires--;
                stats.expiredKeys++;
                deleted++;
            }
        }
        return deleted;
    }

    /** Average remaining TTL in ms of a sample of keys with expires (INFO keyspace avg_ttl). */
    public long averageTtl() {
        if (expires == 0) {
            return 0;
        }
        long now = clock.millis();
        long sum = 0;
        int n = 0;
        for (Entry e : dict.values()) {
            if (e.expireAt != Entry.NO_EXPIRE && e.expireAt > now) {
                sum += e.expireAt - now;
                if (++n == 1000) {
                    break;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Moves all content of {@code other} into this database and vice versa (SWAPDB). */
    void swapContent(Database other) {
        HashMap<Key, Entry> mine = new HashMap<>(dict);
        dict.clear();
        dict.putAll(other.dict);
        other.dict.clear();
        other.dict.putAll(mine);
        long e = expires;
        expires = other.expires;
        other.expires = e;
    }

    private static byte[] copy(byte[] b, int off, int len) {
        byte[] c = new byte[len];
        System.arraycopy(b, off, c, 0, len);
        return c;
    }
}
