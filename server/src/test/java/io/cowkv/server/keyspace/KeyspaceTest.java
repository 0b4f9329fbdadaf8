package io.cowkv.server.keyspace;

import io.cowkv.server.memory.ArenaConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KeyspaceTest {
    private final long[] now = {10_000_000};
    private Keyspace ks;

    @BeforeEach
    void setUp() {
        ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
    }

    @AfterEach
    void tearDown() {
        ks.flushAll();
        assertThat(ks.arena().usedBytes()).isZero();
        ks.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void set(Database db, String k, String v) {
        db.setString(b(k), 0, b(k).length, b(v), 0, b(v).length, false);
    }

    /**
     * A table too big to zero at once is zeroed a slice per insert before its rehash starts: every
     * key stays readable all along, a snapshot taken meanwhile sees exactly the keys of its freeze
     * (and pauses the zeroing), SWAPDB moves the pending table with its database, and FLUSHALL frees
     * it (the tear-down checks every byte is back).
     */
    @Test
    void aLargeGrownTableIsZeroedInSlicesBeforeItsRehash() {
        Database db = ks.db(0);
        int n = 0;
        while (!db.zeroingTable()) {
            set(db, "k" + n, "v" + n);
            n++;
            assertThat(n).as("a table over %d bytes must be pending at some point", Database.ZERO_AT_ONCE)
                    .isLessThan(200_000);
        }
        assertThat(db.size()).isEqualTo(n);
        FrozenKeyspace frozen = ks.freeze();
        int atFreeze = n;
        for (int i = 0; i < 1000; i++, n++) {
            set(db, "k" + n, "v" + n);
        }
        assertThat(db.zeroingTable()).as("no zeroing while a snapshot is open").isTrue();
        long[] seen = {0};
        frozen.forEach(0, (key, keyLen, value, valueLen, expireAt) -> seen[0]++);
        assertThat(seen[0]).isEqualTo(atFreeze);
        frozen.close();
        ks.swap(0, 1);
        db = ks.db(1);
        assertThat(db.zeroingTable()).as("the pending table moved with its database").isTrue();
        while (db.zeroingTable()) {
            set(db, "k" + n, "v" + n);
            n++;
        }
        for (int i = 0; i < 2000; i++, n++) { // the rehash runs
            set(db, "k" + n, "v" + n);
        }
        assertThat(db.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            Entry e = db.lookup(b("k" + i));
            assertThat(e).as("k%d", i).isNotNull();
            assertThat(new String(e.stringBytes(), StandardCharsets.UTF_8)).isEqualTo("v" + i);
        }
        assertThat(ks.db(0).size()).isZero();
        // grow database 2 into a pending table and flush it there: the tear-down checks memory
        for (int i = 0; !ks.db(2).zeroingTable(); i++) {
            set(ks.db(2), "x" + i, "y");
        }
    }

    @Test
    void integersAreStoredAsIntegersAndIncrementInPlace() {
        Database db = ks.db(0);
        set(db, "n", "41");
        Entry e = db.lookup(b("n"));
        assertThat(e.isInt()).isTrue();
        assertThat(e.encoding()).isEqualTo("int");
        long used = ks.arena().usedBytes();
        db.setLong(b("n"), 0, 1, 42, true);
        assertThat(ks.arena().usedBytes()).as("INCR rewrites the record in place").isEqualTo(used);
        assertThat(new String(db.lookup(b("n")).stringBytes(), StandardCharsets.US_ASCII)).isEqualTo("42");
        set(db, "s", "0042");
        assertThat(db.lookup(b("s")).isInt()).as("not canonical: stays a string").isFalse();
        assertThat(db.lookup(b("s")).encoding()).isEqualTo("embstr");
        set(db, "r", "z".repeat(45));
        assertThat(db.lookup(b("r")).encoding()).isEqualTo("raw");
    }

    @Test
    void recordsCarryOnlyTheHeaderFieldsTheyUse() {
        Database db = ks.db(0);
        set(db, "warm", "up"); // the table and a slab exist from here on
        long base = ks.arena().usedBytes();
        String v64 = "v".repeat(64);
        set(db, "key:123456", v64);
        assertThat(ks.arena().usedBytes() - base)
                .as("14-byte fixed part (lengths included) + 10-byte key + 64-byte value = 88, size class 88")
                .isEqualTo(88);
        Entry e = db.lookup(b("key:123456"));
        db.setExpire(e, now[0] + 5_000);
        assertThat(ks.arena().usedBytes() - base).as("the first TTL moves the record to one with the field").isEqualTo(96);
        assertThat(db.lookup(b("key:123456")).expireAt()).isEqualTo(now[0] + 5_000);
        assertThat(new String(db.lookup(b("key:123456")).stringBytes(), StandardCharsets.UTF_8)).isEqualTo(v64);
        db.setExpire(db.lookup(b("key:123456")), Entry.NO_EXPIRE);
        assertThat(db.lookup(b("key:123456")).expireAt()).isEqualTo(Entry.NO_EXPIRE);
        assertThat(db.expires()).isZero();
        assertThat(ks.arena().usedBytes() - base).as("PERSIST keeps the field (no move)").isEqualTo(96);
        db.delete(b("key:123456"));
        assertThat(ks.arena().usedBytes()).isEqualTo(base);

        db.setLong(b("n"), 0, 1, 7, false);
        assertThat(ks.arena().usedBytes() - base).as("int: 14 + 8-byte integer + 1-byte key = 23, class 24").isEqualTo(24);
        db.setLong(b("n"), 0, 1, 8, false, now[0] + 100);
        assertThat(ks.arena().usedBytes() - base).as("with a TTL given up front: 31, class 32").isEqualTo(32);
        assertThat(db.lookup(b("n")).expireAt()).isEqualTo(now[0] + 100);
        assertThat(db.lookup(b("n")).longValue()).isEqualTo(8);
        assertThat(db.expires()).isEqualTo(1);
    }

    @Test
    void appendGrowsInPlaceAndMovesOutWithRoomToSpare() {
        Database db = ks.db(0);
        set(db, "warm", "up");
        set(db, "log", "ab"); // 14 + 3 + 2 = 19 bytes, size class 24
        long base = ks.arena().usedBytes();
        StringBuilder model = new StringBuilder("ab");
        assertThat(db.append(db.lookup(b("log")), b("cdef"), 0, 4)).isEqualTo(6);
        model.append("cdef");
        assertThat(ks.arena().usedBytes()).as("within the record's size class: in place").isEqualTo(base);
        assertThat(db.lookup(b("log")).encoding()).isEqualTo("raw");
        byte[] chunk = b("x".repeat(3000));
        db.append(db.lookup(b("log")), chunk, 0, chunk.length); // 3,006 bytes: the value moves out
        model.append("x".repeat(3000));
        long afterMove = ks.arena().usedBytes();
        assertThat(afterMove - base).as("record with an external value + room to spare (2 x 3,006)")
                .isGreaterThanOrEqualTo(2 * 3006L);
        for (int i = 0; i < 2; i++) { // 3,006 + 2 x 1,000 = 5,006 < 6,012: no new allocation
            byte[] more = b(Integer.toString(i).repeat(1000));
            db.append(db.lookup(b("log")), more, 0, more.length);
            model.append(Integer.toString(i).repeat(1000));
        }
        assertThat(ks.arena().usedBytes()).as("appends into the spare room allocate nothing").isEqualTo(afterMove);
        Entry e = db.lookup(b("log"));
        assertThat(e.stringLength()).isEqualTo(model.length());
        assertThat(new String(e.stringBytes(), StandardCharsets.UTF_8)).isEqualTo(model.toString());
        db.setExpire(e, now[0] + 1000); // the moved record keeps value, capacity and TTL
        byte[] tail = b("!");
        db.append(db.lookup(b("log")), tail, 0, 1);
        model.append('!');
        assertThat(new String(db.lookup(b("log")).stringBytes(), StandardCharsets.UTF_8)).isEqualTo(model.toString());
        assertThat(db.lookup(b("log")).expireAt()).isEqualTo(now[0] + 1000);
        db.setLong(b("n"), 0, 1, 42, false);
        assertThat(db.append(db.lookup(b("n")), b("7"), 0, 1)).as("an int value becomes a string").isEqualTo(3);
        assertThat(new String(db.lookup(b("n")).stringBytes(), StandardCharsets.UTF_8)).isEqualTo("427");
        assertThat(db.lookup(b("n")).encoding()).isEqualTo("raw");
    }

    @Test
    void idleTimeWrapsWithTheLruClockAsRedisDoes() {
        assertThat(EntryLayout.idleSeconds(100, 40)).isEqualTo(60);
        assertThat(EntryLayout.idleSeconds(5, EntryLayout.LRU_MAX - 10)).as("the clock wrapped since").isEqualTo(15);
        assertThat(LruClock.at((EntryLayout.LRU_MAX + 1L) * 1000 + 3_000)).isEqualTo(3);
    }

    @Test
    void lazyAndActiveExpiryWithAnInjectedClock() {
        Database db = ks.db(0);
        for (int i = 0; i < 1000; i++) {
            set(db, "k" + i, "v");
            if (i % 2 == 0) {
                db.setExpire(db.lookup(b("k" + i)), now[0] + 100);
            }
        }
        assertThat(db.expires()).isEqualTo(500);
        now[0] += 101;
        assertThat(db.lookup(b("k0"))).as("lazy expiry on access").isNull();
        assertThat(ks.stats().expiredKeys).isEqualTo(1);
        for (int round = 0; round < 200 && db.expires() > 0; round++) {
            ks.activeExpireCycle(10);
        }
        assertThat(db.expires()).isZero();
        assertThat(db.size()).isEqualTo(500);
        assertThat(ks.stats().expiredKeys).isEqualTo(500);
    }

    @Test
    void scanReturnsEveryKeyPresentThroughoutDespiteRehashing() {
        Database db = ks.db(0);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            set(db, "stable" + i, "v");
            stable.add("stable" + i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int churn = 0;
        int calls = 0;
        do {
            cursor = db.scan(cursor, e -> seen.add(new String(e.key(), StandardCharsets.UTF_8)));
            // grow under the iteration (forcing rehashes to 4096 buckets), then shrink
            if (calls < 1500) {
                set(db, "churn" + churn++, "x");
                set(db, "churn" + churn++, "x");
            } else if (churn > 0) {
                db.delete(b("churn" + --churn));
                db.delete(b("stable-gone" + churn));
            }
            ks.cronResize();
            calls++;
            assertThat(calls).as("the scan terminates").isLessThan(200_000);
        } while (cursor != 0);
        assertThat(seen).containsAll(stable);
    }

    @Test
    void freezeCopiesNothingUntilWritesThenCountsCopiedPages() {
        Database db = ks.db(0);
        for (int i = 0; i < 5000; i++) {
            set(db, "key" + i, "value-" + i);
        }
        FrozenKeyspace f = ks.freeze();
        for (int i = 0; i < 5000; i++) {
            db.lookup(b("key" + i)); // reads never copy (no LRU writes during a snapshot)
        }
        assertThat(f.copiedBytes()).isZero();
        for (int i = 0; i < 5000; i += 50) {
            set(db, "key" + i, "other");
        }
        assertThat(f.copiedBytes()).isPositive();
        assertThat(f.copiedBytes() % 4096).isZero();
        long[] count = {0};
        f.forEach(0, (k, kl, v, vl, exp) -> {
            String key = new String(k, 0, kl, StandardCharsets.UTF_8);
            assertThat(new String(v, 0, vl, StandardCharsets.UTF_8)).isEqualTo("value-" + key.substring(3));
            count[0]++;
        });
        assertThat(count[0]).isEqualTo(5000);
        f.close();
        assertThat(ks.arena().copiedBytesLast()).isPositive();
        assertThat(ks.arena().framesHeldForSnapshot()).isZero();
    }

    @Test
    void noResizeWhileSnapshotOpenUnlessOverloaded() {
        Database db = ks.db(0);
        for (int i = 0; i < 64; i++) {
            set(db, "k" + i, "v");
        }
        ks.cronResize();
        FrozenKeyspace f = ks.freeze();
        int before = db.size0;
        for (int i = 64; i < 64 * 4; i++) {
            set(db, "k" + i, "v");
        }
        assertThat(db.size0).as("load factor <= 5: no resize during the snapshot").isEqualTo(before);
        assertThat(db.rehashIdx).isEqualTo(-1);
        for (int i = 64 * 4; i < 64 * 7; i++) {
            set(db, "k" + i, "v");
        }
        assertThat(db.rehashIdx >= 0 || db.size0 > before).as("forced above load factor 5").isTrue();
        f.close();
    }

    @Test
    void swapdbAndCopyAcrossDatabases() {
        set(ks.db(0), "a", "1");
        set(ks.db(1), "b", "hello");
        ks.swap(0, 1);
        assertThat(ks.db(0).lookup(b("b"))).isNotNull();
        assertThat(ks.db(1).lookup(b("a"))).isNotNull();
        assertThat(ks.db(0).copy(b("b"), ks.db(2), b("c"), false)).isTrue();
        assertThat(new String(ks.db(2).lookup(b("c")).stringBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(ks.db(0).rename(b("b"), b("bb"))).isTrue();
        assertThat(ks.db(0).lookup(b("b"))).isNull();
        assertThat(ks.db(0).move(b("bb"), ks.db(3))).isTrue();
        assertThat(ks.db(3).size()).isEqualTo(1);
    }

    /**
     * RENAME and MOVE hand the record over: a value in its own allocation is not copied (the
     * arena's bytes in use do not change beyond the key's length), inline and integer values and
     * TTLs come along, the replaced key is freed, and a snapshot open meanwhile still sees the
     * keys and values of its freeze, also after the renamed value is appended to.
     */
    @Test
    void renameAndMoveHandTheRecordOverEvenWithASnapshotOpen() {
        Database db = ks.db(0);
        String big = "x".repeat(100_000);
        set(db, "big", big);
        set(db, "small", "inline value");
        db.setLong(b("n"), 0, 1, 42, false, now[0] + 60_000);
        set(db, "victim", "y".repeat(50_000));
        FrozenKeyspace f = ks.freeze();
        long used = ks.arena().usedBytes();
        assertThat(db.rename(b("big"), b("victim"))).isTrue(); // replaces victim
        assertThat(ks.arena().usedBytes()).as("victim's 50 KB freed, big's 100 KB not copied")
                .isLessThan(used - 40_000);
        assertThat(db.rename(b("small"), b("small2"))).isTrue();
        assertThat(db.move(b("n"), ks.db(1))).isTrue();
        db.append(db.lookup(b("victim")), b("!"), 0, 1);

        assertThat(db.lookup(b("big"))).isNull();
        assertThat(new String(db.lookup(b("victim")).stringBytes(), StandardCharsets.UTF_8)).isEqualTo(big + "!");
        assertThat(new String(db.lookup(b("small2")).stringBytes(), StandardCharsets.UTF_8)).isEqualTo("inline value");
        Entry n = ks.db(1).lookup(b("n"));
        assertThat(n.isInt()).isTrue();
        assertThat(n.longValue()).isEqualTo(42);
        assertThat(n.expireAt()).isEqualTo(now[0] + 60_000);
        assertThat(db.size()).isEqualTo(2);
        assertThat(db.expires()).isZero();
        assertThat(ks.db(1).expires()).isEqualTo(1);

        java.util.Map<String, String> frozen = new java.util.HashMap<>();
        f.forEach(0, (k, kl, v, vl, exp) -> frozen.put(new String(k, 0, kl, StandardCharsets.UTF_8),
                v == null ? null : new String(v, 0, vl, StandardCharsets.UTF_8)));
        assertThat(frozen.keySet()).containsExactlyInAnyOrder("big", "small", "n", "victim");
        assertThat(frozen.get("big")).isEqualTo(big);
        assertThat(frozen.get("victim")).isEqualTo("y".repeat(50_000));
        assertThat(frozen.get("small")).isEqualTo("inline value");
        f.close();
        assertThat(ks.arena().framesHeldForSnapshot()).isZero();
    }

    /**
     * An inline record keeps its key and value lengths in shorts (EntryLayout): RENAME or COPY of
     * one to a key longer than that moves the value to its own allocation, keeping value,
     * encoding and TTL, and a snapshot reads the record; everything is freed afterwards.
     */
    @Test
    void renameOrCopyToAKeyTooLongForAnInlineRecordMovesTheValueOut() {
        Database db = ks.db(0);
        set(db, "warm", "up");
        long base = ks.arena().usedBytes();
        set(db, "s", "embstr value");
        db.setExpire(db.lookup(b("s")), now[0] + 60_000);
        String longName = "k".repeat(70_000);
        assertThat(db.copy(b("s"), db, b(longName + "c"), false)).isTrue();
        assertThat(db.rename(b("s"), b(longName))).isTrue();
        for (String name : new String[] {longName, longName + "c"}) {
            Entry e = db.lookup(b(name));
            assertThat(new String(e.stringBytes(), StandardCharsets.UTF_8)).isEqualTo("embstr value");
            assertThat(e.encoding()).isEqualTo("embstr");
            assertThat(e.expireAt()).isEqualTo(now[0] + 60_000);
            assertThat(e.key()).isEqualTo(b(name));
        }
        assertThat(db.expires()).isEqualTo(2);

        FrozenKeyspace f = ks.freeze();
        db.append(db.lookup(b(longName)), b("!"), 0, 1);
        assertThat(db.rename(b(longName), b("back"))).isTrue();
        assertThat(new String(db.lookup(b("back")).stringBytes(), StandardCharsets.UTF_8)).isEqualTo("embstr value!");
        java.util.Map<String, String> frozen = new java.util.HashMap<>();
        f.forEach(0, (k, kl, v, vl, exp) -> frozen.put(new String(k, 0, kl, StandardCharsets.UTF_8),
                new String(v, 0, vl, StandardCharsets.UTF_8)));
        assertThat(frozen).containsEntry(longName, "embstr value").containsEntry(longName + "c", "embstr value")
                .containsEntry("warm", "up").hasSize(3);
        f.close();

        db.delete(b("back"));
        db.delete(b(longName + "c"));
        assertThat(ks.arena().usedBytes()).as("nothing leaked").isEqualTo(base);
        assertThat(ks.arena().framesHeldForSnapshot()).isZero();
    }
}
