package io.cowkv.server.keyspace;

import io.cowkv.server.memory.Arena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache warm-up steps ({@link Database#slotAddress}, {@link Database#readSlot},
 * {@link Database#touchRecord}) lead to the bucket a lookup searches, also while the dictionary
 * is being rehashed, and change nothing.
 */
class PrefetchTest {
    private final Keyspace ks = new Keyspace(16, Clock.SYSTEM);
    private final Database db = ks.db(0);
    private final Arena arena = ks.arena();

    @AfterEach
    void close() {
        ks.close();
    }

    private static byte[] key(int i) {
        return ("key:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * True when the chain from the warm-up's first record holds the record a lookup finds; during
     * a rehash (where the warm-up may pick the other table for keys added since it began) only
     * that the steps run without error.
     */
    private boolean warmUpReaches(byte[] k) {
        if (db.rehashing()) {
            db.touchRecord(db.readSlot(db.slotAddress(Database.keyHash(k, 0, k.length))));
            return true;
        }
        long head = db.readSlot(db.slotAddress(Database.keyHash(k, 0, k.length)));
        Entry e = db.peek(k, 0, k.length);
        long target = e.addr;
        for (long r = head; r != 0; r = EntryLayout.readNext(arena, r)) {
            db.touchRecord(r);
            if (r == target) {
                return true;
            }
        }
        return false;
    }

    @Test
    void emptyDatabaseHasNoSlot() {
        byte[] k = key(1);
        assertThat(db.slotAddress(Database.keyHash(k, 0, k.length))).isZero();
        assertThat(db.readSlot(0)).isZero();
        assertThat(db.touchRecord(0)).isZero();
    }

    @Test
    void warmUpFindsEveryKeyWhileTheTableGrowsAndShrinks() {
        int checkedOutsideRehash = 0;
        byte[] v = "value".getBytes(StandardCharsets.US_ASCII);
        int n = 3000;
        for (int i = 0; i < n; i++) {
            byte[] k = key(i);
            db.setString(k, 0, k.length, v, 0, v.length, false);
            if (i % 97 == 0) { // many checkpoints land in the middle of an incremental rehash
                checkedOutsideRehash += db.rehashing() ? 0 : 1;
                for (int j = 0; j <= i; j += 7) {
                    assertThat(warmUpReaches(key(j))).as("key %d after %d inserts", j, i + 1).isTrue();
                }
            }
        }
        for (int i = 0; i < n - 10; i++) {
            db.delete(key(i));
            if (i % 3 == 0) {
                ks.cronResize(); // shrinking rehash steps
            }
        }
        for (int i = n - 10; i < n; i++) {
            assertThat(warmUpReaches(key(i))).isTrue();
        }
        assertThat(checkedOutsideRehash).as("checkpoints outside a rehash").isGreaterThan(5);
        long used = db.size();
        db.slotAddress(Database.keyHash(key(5), 0, key(5).length));
        assertThat(db.size()).as("warm-up changes nothing").isEqualTo(used);
    }

    @Test
    void rehashAheadMovesBucketsWithoutLosingKeysAndWaitsForAnOpenSnapshot() {
        byte[] v = "v".getBytes(StandardCharsets.US_ASCII);
        int i = 0;
        while (!db.rehashing()) {
            byte[] k = key(i++);
            db.setString(k, 0, k.length, v, 0, v.length, false);
        }
        int n = i;
        FrozenKeyspace frozen = ks.freeze();
        db.rehashAhead(Database.REHASH_AHEAD_MAX);
        assertThat(db.rehashing()).as("paused while a snapshot is open").isTrue();
        frozen.close();
        int calls = 0;
        while (db.rehashing()) {
            db.rehashAhead(8);
            calls++;
            assertThat(calls).as("the rehash ends").isLessThan(100_000);
        }
        for (int j = 0; j < n; j++) {
            byte[] k = key(j);
            assertThat(db.peek(k, 0, k.length)).as("key %d", j).isNotNull();
            assertThat(warmUpReaches(k)).isTrue();
        }
        assertThat(db.size()).isEqualTo(n);
    }
}
