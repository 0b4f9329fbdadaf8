package io.cowkv.server.keyspace;

import io.cowkv.server.memory.Arena;
import io.cowkv.server.memory.ArenaConfig;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The arena keyspace against a plain map model: random sets (short, long, integer, huge values),
 * deletes, renames and moves, expires, flushes, swaps and rehash steps, with freezes whose walks must equal the model
 * as it was at the freeze while the live side keeps changing. Every arena byte is freed at the end.
 */
class KeyspaceModelProperties {
    private static final class Val {
        final String value;
        final long expireAt;

        Val(String value, long expireAt) {
            this.value = value;
            this.expireAt = expireAt;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Val && ((Val) o).value.equals(value) && ((Val) o).expireAt == expireAt;
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }

        @Override
        public String toString() {
            return value.length() > 20 ? value.substring(0, 20) + "...(" + value.length() + ")" : value + "@" + expireAt;
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String randomValue(Random rnd) {
        switch (rnd.nextInt(5)) {
            case 0: return Long.toString(rnd.nextLong());
            case 1: return Integer.toString(rnd.nextInt(1000));
            case 2: return "x".repeat(rnd.nextInt(3000)) + rnd.nextInt(10);
            case 3: return "big-" + "y".repeat(5000 + rnd.nextInt(20000));
            default: return "v" + rnd.nextInt(100000);
        }
    }

    @Property(tries = 60)
    void liveAndFrozenMatchTheModel(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random rnd = new Random(seed);
        long[] now = {1_000_000};
        long nativeBefore = Arena.globalNativeBytesReserved();
        long metadataBefore = Arena.globalMetadataBytes();
        Keyspace ks = new Keyspace(3, () -> now[0], ArenaConfig.of(4096, 16, true));
        @SuppressWarnings("unchecked")
        Map<String, Val>[] model = new Map[]{new HashMap<>(), new HashMap<>(), new HashMap<>()};
        FrozenKeyspace frozen = null;
        Map<String, Val>[] atFreeze = null;
        int keySpace = 50 + rnd.nextInt(400);
        int chunksReleased = 0;
        for (int step = 0; step < 1500; step++) {
            int dbi = rnd.nextInt(3);
            Database db = ks.db(dbi);
            Map<String, Val> m = model[dbi];
            String key = "key:" + rnd.nextInt(keySpace) + (rnd.nextInt(20) == 0 ? "-" + "k".repeat(3000) : "");
            int op = rnd.nextInt(100);
            if (op >= 35 && op < 45 && m.containsKey(key)) {
                // APPEND: in place, inline -> external, external growing past its capacity
                String add = rnd.nextInt(4) == 0 ? "a".repeat(rnd.nextInt(3000)) : Integer.toString(rnd.nextInt(1000));
                Entry e = db.lookup(b(key));
                assertThat(e).isNotNull();
                Val old = m.get(key);
                String expected;
                long n;
                if (rnd.nextBoolean()) {
                    n = db.append(e, b(add), 0, add.length());
                    expected = old.value + add;
                } else { // SETRANGE: inside the value, across its end, or past it (zero-filled gap)
                    int at = rnd.nextInt(old.value.length() + 100);
                    n = db.writeAt(e, at, b(add), 0, add.length());
                    StringBuilder v = new StringBuilder(old.value);
                    while (v.length() < at) {
                        v.append('\0');
                    }
                    v.replace(at, Math.min(v.length(), at + add.length()), add);
                    expected = v.toString();
                }
                m.put(key, new Val(expected, old.expireAt));
                assertThat(n).isEqualTo(expected.length());
                assertThat(new String(e.stringBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(expected);
                assertThat(e.encoding()).isEqualTo("raw");
            } else if (op < 45) {
                String v = randomValue(rnd);
                boolean keepTtl = rnd.nextBoolean();
                // a TTL given with the value (SET EX) makes the record with its expireAt field
                long ttl = !keepTtl && rnd.nextInt(3) == 0 ? now[0] + 1 + rnd.nextInt(100) : Entry.NO_EXPIRE;
                Entry e = db.setString(b(key), 0, key.length(), b(v), 0, v.length(), keepTtl, Entry.AUTO, ttl);
                Val old = m.get(key);
                long exp = keepTtl ? (old != null ? old.expireAt : Entry.NO_EXPIRE) : ttl;
                m.put(key, new Val(v, exp));
                assertThat(new String(e.stringBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(v);
            } else if (op < 54) {
                boolean existed = db.delete(b(key));
                assertThat(existed).isEqualTo(m.remove(key) != null);
            } else if (op < 60) {
                // RENAME (replacing any target), COPY, or MOVE (only to a database without the
                // key): the record is handed over (an external value without being copied) or copied
                Val v = m.get(key);
                int how = rnd.nextInt(3);
                if (how == 0) {
                    String to = "key:" + rnd.nextInt(keySpace) + (rnd.nextInt(20) == 0 ? "-" + "r".repeat(3000) : "");
                    assertThat(db.rename(b(key), b(to))).isEqualTo(v != null);
                    if (v != null) {
                        m.remove(key);
                        m.put(to, v);
                    }
                } else if (how == 1) { // COPY, to any database, replacing or not
                    int other = rnd.nextInt(3);
                    String to = "key:" + rnd.nextInt(keySpace);
                    boolean replace = rnd.nextBoolean();
                    boolean expected = v != null && !(other == dbi && to.equals(key))
                            && (replace || !model[other].containsKey(to));
                    if (!(other == dbi && to.equals(key))) {
                        assertThat(db.copy(b(key), ks.db(other), b(to), replace)).isEqualTo(expected);
                    }
                    if (expected) {
                        model[other].put(to, v);
                    }
                } else {
                    int other = (dbi + 1 + rnd.nextInt(2)) % 3;
                    boolean expected = v != null && !model[other].containsKey(key);
                    assertThat(db.move(b(key), ks.db(other))).isEqualTo(expected);
                    if (expected) {
                        m.remove(key);
                        model[other].put(key, v);
                    }
                }
            } else if (op < 70) {
                Entry e = db.lookup(b(key));
                assertThat(e != null).isEqualTo(m.containsKey(key));
                if (e != null) {
                    long at = rnd.nextBoolean() ? Entry.NO_EXPIRE : now[0] + 1 + rnd.nextInt(100);
                    db.setExpire(e, at);
                    m.put(key, new Val(m.get(key).value, at));
                }
            } else if (op < 75) {
                now[0] += rnd.nextInt(50);
                m.values().removeIf(v -> false); // expiry is applied lazily below
                for (Map<String, Val> mm : model) {
                    mm.entrySet().removeIf(en -> en.getValue().expireAt != Entry.NO_EXPIRE && en.getValue().expireAt <= now[0]);
                }
                ks.activeExpireCycle(10);
            } else if (op < 85) {
                long framesBefore = ks.arena().totalFrames();
                ks.cronResize(); // may also give chunks back (pages move; the checks below must still hold)
                if (ks.arena().totalFrames() < framesBefore) {
                    chunksReleased++;
                }
            } else if (op < 87) {
                db.clear();
                m.clear();
            } else if (op < 88) {
                int other = rnd.nextInt(3);
                ks.swap(dbi, other);
                Map<String, Val> t = model[dbi];
                model[dbi] = model[other];
                model[other] = t;
            } else if (op < 93) {
                if (frozen == null) {
                    frozen = ks.freeze();
                    atFreeze = copy(model);
                } else {
                    checkFrozen(frozen, atFreeze, now[0]);
                    frozen.close();
                    frozen = null;
                }
            } else {
                Entry e = db.lookup(b(key));
                Val v = m.get(key);
                assertThat(e != null).as("presence of %s", key).isEqualTo(v != null);
                if (e != null) {
                    assertThat(new String(e.stringBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(v.value);
                    assertThat(e.expireAt()).isEqualTo(v.expireAt);
                    if (e.isInt() && e.longValue() < Long.MAX_VALUE) { // INCR's in-place path keeps the TTL
                        long n = e.longValue() + 1;
                        assertThat(db.setLongInPlace(e, n)).isTrue();
                        m.put(key, new Val(Long.toString(n), v.expireAt));
                    }
                }
            }
        }
        Statistics.label("cron released chunks").collect(chunksReleased > 0);
        if (frozen != null) {
            checkFrozen(frozen, atFreeze, now[0]);
            // closed first: while a snapshot is open a dictionary in mid-rehash pauses its active
            // expiry (moving buckets would copy pages); lazy expiry still applies
            frozen.close();
        }
        for (int round = 0; round < 2000; round++) {
            ks.activeExpireCycle(10); // reclaim every expired key so DBSIZE equals the model's count
            ks.cronResize();
        }
        for (int i = 0; i < 3; i++) {
            Map<String, Val> live = new HashMap<>();
            for (byte[] k : ks.db(i).keys()) {
                Entry e = ks.db(i).lookup(k);
                live.put(new String(k, StandardCharsets.ISO_8859_1), new Val(new String(e.stringBytes(), StandardCharsets.ISO_8859_1), e.expireAt()));
            }
            assertThat(live).isEqualTo(model[i]);
            assertThat(ks.db(i).size()).isEqualTo(model[i].size());
            assertThat(ks.db(i).expires()).isEqualTo(model[i].values().stream().filter(v -> v.expireAt != Entry.NO_EXPIRE).count());
        }
        ks.flushAll();
        assertThat(ks.arena().usedBytes()).as("every record and table freed").isZero();
        assertThat(ks.arena().freeFrames()).isEqualTo(ks.arena().totalFrames());
        ks.close();
        assertThat(Arena.globalNativeBytesReserved()).isEqualTo(nativeBefore);
        assertThat(Arena.globalMetadataBytes()).isEqualTo(metadataBefore);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Val>[] copy(Map<String, Val>[] model) {
        Map<String, Val>[] c = new Map[model.length];
        for (int i = 0; i < model.length; i++) {
            c[i] = new HashMap<>(model[i]);
        }
        return c;
    }

    /** The frozen walk holds exactly the keys live at the freeze (it may also hold keys expired but not yet deleted then). */
    private static void checkFrozen(FrozenKeyspace f, Map<String, Val>[] atFreeze, long now) {
        for (int i = 0; i < atFreeze.length; i++) {
            Map<String, Val> seen = new HashMap<>();
            f.forEach(i, (k, kl, v, vl, exp) -> seen.put(new String(k, 0, kl, StandardCharsets.ISO_8859_1),
                    new Val(new String(v, 0, vl, StandardCharsets.ISO_8859_1), exp)));
            long frozenAt = f.frozenAtMillis();
            seen.entrySet().removeIf(en -> en.getValue().expireAt != Entry.NO_EXPIRE && en.getValue().expireAt <= frozenAt);
            assertThat(seen).isEqualTo(atFreeze[i]);
        }
    }
}
