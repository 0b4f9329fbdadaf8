package io.cowkv.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cowkv.rdb.testing.Model;
import io.cowkv.rdb.testing.RawRdb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of corrupted and truncated files (fixed seed): the reader either reads them or throws
 * {@link RdbFormatException}; never another exception, an OutOfMemoryError or a hang.
 */
class FuzzTest {
    private static final long SEED = 0xC0FFEEL;
    private static final int ITERATIONS = 6000;
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(40);

    static List<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        Model m = new Model();
        m.aux.put("redis-ver", "7.0.15");
        m.put(0, "str", RdbValueKind.STRING, 4102444800000L, "hello");
        m.put(0, "int", RdbValueKind.STRING, -1, "-12345");
        m.put(0, "lzf", RdbValueKind.STRING, -1, "abcdefgh".repeat(20));
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            list.add(i % 2 == 0 ? Integer.toString(i * 1000 - 7) : "el" + i);
        }
        m.put(0, "list", RdbValueKind.LIST, -1, list);
        m.put(1, "intset", RdbValueKind.SET, -1, new LinkedHashSet<>(List.of("1", "2", "-70000", "5000000000")));
        m.put(1, "set", RdbValueKind.SET, -1, new LinkedHashSet<>(List.of("a", "b", "c")));
        Map<String, Double> z = new LinkedHashMap<>();
        z.put("a", 1.5);
        z.put("b", Double.NEGATIVE_INFINITY);
        z.put("c", 3.0);
        m.put(1, "zset", RdbValueKind.ZSET, -1, z);
        m.put(2, "hash", RdbValueKind.HASH, -1, new LinkedHashMap<>(Map.of("f", "v", "n", "42")));
        for (RdbWriter.Options o : List.of(RdbWriter.Options.defaults(),
                RdbWriter.Options.defaults().withVersion(11).withCompression(false).withListNodeEntries(7)
                        .withThresholds(2, 3, 8, 2, 8, 1, 8))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(new RdbWriter(out, o));
            seeds.add(out.toByteArray());
        }
        RawRdb r = new RawRdb(6);
        r.u8(RdbConstants.TYPE_HASH_ZIPMAP).str("zm").str(RawRdb.zipmap(1, "f1", "v1", "f2", "v2"));
        r.u8(RdbConstants.TYPE_LIST_ZIPLIST).str("zl").str(RawRdb.ziplist("a", 0L, 300L, -40000L, 3000000000L, "x"));
        r.u8(RdbConstants.TYPE_ZSET_ZIPLIST).str("zz").str(RawRdb.ziplist("a", 1L, "b", "2.5"));
        r.u8(RdbConstants.TYPE_ZSET).str("zs").len(2).str("m1").u8(3).raw(Model.b("1.5")).str("m2").u8(254);
        r.u8(RdbConstants.TYPE_LIST_QUICKLIST).str("q").len(1).str(RawRdb.ziplist("a", 1L));
        seeds.add(r.eof(true));
        return seeds;
    }

    private static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        if (b.length < 12) {
            return b;
        }
        switch (rnd.nextInt(7)) {
            case 0 -> { // flip bytes
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b[9 + rnd.nextInt(b.length - 9)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> { // special byte values
                byte[] specials = {0, (byte) 0x80, (byte) 0x81, (byte) 0xC3, (byte) 0xFF, (byte) 0xFE, 0x7F, (byte) 0xF0};
                b[9 + rnd.nextInt(b.length - 9)] = specials[rnd.nextInt(specials.length)];
            }
            case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncate
            case 3 -> { // hostile 64-bit or 32-bit length
                int at = 9 + rnd.nextInt(b.length - 9);
                byte[] len = rnd.nextBoolean()
                        ? new byte[] {(byte) 0x81, 0x7f, -1, -1, -1, -1, -1, -1, -1}
                        : new byte[] {(byte) 0x80, (byte) rnd.nextInt(256), -1, -1, -1};
                byte[] c = new byte[b.length + len.length];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(len, 0, c, at, len.length);
                System.arraycopy(b, at, c, at + len.length, b.length - at);
                b = c;
            }
            case 4 -> { // delete a range
                int at = rnd.nextInt(b.length);
                int n = 1 + rnd.nextInt(Math.min(16, b.length - at));
                byte[] c = new byte[b.length - n];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + n, c, at, b.length - at - n);
                b = c;
            }
            case 5 -> { // random bytes overwrite
                int at = rnd.nextInt(b.length);
                int n = Math.min(b.length - at, 1 + rnd.nextInt(8));
                for (int i = 0; i < n; i++) {
                    b[at + i] = (byte) rnd.nextInt(256);
                }
            }
            default -> { // duplicate a range
                int at = rnd.nextInt(b.length);
                int n = 1 + rnd.nextInt(Math.min(32, b.length - at));
                byte[] c = new byte[b.length + n];
                System.arraycopy(b, 0, c, 0, at + n);
                System.arraycopy(b, at, c, at + n, b.length - at);
                b = c;
            }
        }
        return b;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void corruptedFilesOnlyEverRaiseRdbFormatException() throws Exception {
        List<byte[]> seeds = seeds();
        for (byte[] s : seeds) { // seeds are valid
            RdbReader.read(new ByteArrayInputStream(s), new Model.Collector());
        }
        Random rnd = new Random(SEED);
        long start = System.nanoTime();
        int runs = 0;
        int rejected = 0;
        RdbReader.Options noCrc = RdbReader.Options.defaults().withVerifyChecksum(false);
        RdbReader.Options skip = RdbReader.Options.defaults().withSkipUnsupported(true);
        for (int i = 0; i < ITERATIONS && System.nanoTime() - start < BUDGET_NANOS; i++) {
            byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
            byte[] bad = mutate(seed, rnd);
            if (rnd.nextInt(4) == 0) {
                bad = mutate(bad, rnd);
            }
            for (RdbReader.Options o : List.of(noCrc, skip)) {
                runs++;
                try {
                    RdbReader.read(new ByteArrayInputStream(bad), new Model.Collector(), o);
                } catch (RdbFormatException expected) {
                    rejected++;
                    assertThat(expected.getMessage()).isNotEmpty();
                } catch (Throwable t) {
                    throw new AssertionError("iteration " + i + " (seed " + SEED + ") threw " + t + " for input "
                            + java.util.HexFormat.of().formatHex(bad), t);
                }
            }
        }
        assertThat(runs).isGreaterThan(1000);
        assertThat(rejected).isGreaterThan(runs / 2);
    }
}
