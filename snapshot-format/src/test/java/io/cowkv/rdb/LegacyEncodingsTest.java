package io.cowkv.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cowkv.rdb.testing.Model;
import io.cowkv.rdb.testing.RawRdb;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encodings only old Redis versions write (zipmap, ziplist, quicklist v1, string-score zsets, ...). */
class LegacyEncodingsTest {

    static Model.Collector read(byte[] rdb) throws Exception {
        Model.Collector c = new Model.Collector();
        RdbReader.read(new ByteArrayInputStream(rdb), c);
        return c;
    }

    @Test
    void version3FileWithEveryPreQuicklistEncoding() throws Exception {
        String big = "B".repeat(300);
        RawRdb r = new RawRdb(3);
        r.u8(RdbConstants.OPCODE_SELECTDB).len(0);
        r.u8(RdbConstants.OPCODE_EXPIRETIME).le(2000000000L, 4).u8(RdbConstants.TYPE_STRING).str("s").str("v");
        r.u8(RdbConstants.TYPE_LIST).str("linked").len(2).str("a").str("b");
        r.u8(RdbConstants.TYPE_SET).str("set").len(2).str("x").str("y");
        r.u8(RdbConstants.TYPE_ZSET).str("zs").len(4).str("m1").u8(3).raw(Model.b("1.5")).str("m2").u8(253)
                .str("m3").u8(254).str("m4").u8(255);
        r.u8(RdbConstants.TYPE_HASH).str("h").len(1).str("f").str("v");
        r.u8(RdbConstants.TYPE_HASH_ZIPMAP).str("zm").str(RawRdb.zipmap(2, "f1", "v1", "long", big));
        r.u8(RdbConstants.TYPE_LIST_ZIPLIST).str("zl").str(RawRdb.ziplist("a", 0L, 12L, 13L, -1L, 300L, -40000L,
                5000000L, 3000000000L, big, "after-big", "M".repeat(20000)));
        r.u8(RdbConstants.TYPE_SET_INTSET).str("is16").str(RawRdb.intset(2, -3, 7));
        r.u8(RdbConstants.TYPE_SET_INTSET).str("is32").str(RawRdb.intset(4, -70000, 70000));
        r.u8(RdbConstants.TYPE_SET_INTSET).str("is64").str(RawRdb.intset(8, Long.MIN_VALUE, Long.MAX_VALUE));
        r.u8(RdbConstants.TYPE_ZSET_ZIPLIST).str("zz").str(RawRdb.ziplist("a", 1L, "b", "2.5", "c", "inf"));
        r.u8(RdbConstants.TYPE_HASH_ZIPLIST).str("hz").str(RawRdb.ziplist("f", "v", "n", 42L));
        Model.Collector c = read(r.eof(false));
        assertThat(c.version).isEqualTo(3);
        assertThat(c.checksumVerified).isFalse();

        Model m = new Model();
        m.put(0, "s", RdbValueKind.STRING, 2000000000000L, "v");
        m.put(0, "linked", RdbValueKind.LIST, -1, List.of("a", "b"));
        m.put(0, "set", RdbValueKind.SET, -1, new LinkedHashSet<>(List.of("x", "y")));
        Map<String, Double> zs = new LinkedHashMap<>();
        zs.put("m1", 1.5);
        zs.put("m2", Double.NaN);
        zs.put("m3", Double.POSITIVE_INFINITY);
        zs.put("m4", Double.NEGATIVE_INFINITY);
        m.put(0, "zs", RdbValueKind.ZSET, -1, zs);
        m.put(0, "h", RdbValueKind.HASH, -1, Map.of("f", "v"));
        m.put(0, "zm", RdbValueKind.HASH, -1, Map.of("f1", "v1", "long", big));
        m.put(0, "zl", RdbValueKind.LIST, -1, List.of("a", "0", "12", "13", "-1", "300", "-40000", "5000000",
                "3000000000", big, "after-big", "M".repeat(20000)));
        m.put(0, "is16", RdbValueKind.SET, -1, new LinkedHashSet<>(List.of("-3", "7")));
        m.put(0, "is32", RdbValueKind.SET, -1, new LinkedHashSet<>(List.of("-70000", "70000")));
        m.put(0, "is64", RdbValueKind.SET, -1,
                new LinkedHashSet<>(List.of(Long.toString(Long.MIN_VALUE), Long.toString(Long.MAX_VALUE))));
        m.put(0, "zz", RdbValueKind.ZSET, -1, new LinkedHashMap<>(Map.of("a", 1.0, "b", 2.5, "c",
                Double.POSITIVE_INFINITY)));
        m.put(0, "hz", RdbValueKind.HASH, -1, Map.of("f", "v", "n", "42"));
        assertThat(Model.diff(m, c.model)).isEmpty();
        assertThat(c.encodings).containsEntry("0:zm", "hash-zipmap").containsEntry("0:zl", "list-ziplist")
                .containsEntry("0:zz", "zset-ziplist").containsEntry("0:hz", "hash-ziplist");
    }

    @Test
    void version9FileWithQuicklistAuxResizeIdleFreqAndChecksum() throws Exception {
        RawRdb r = new RawRdb(9);
        r.u8(RdbConstants.OPCODE_AUX).str("redis-ver").str("5.0.7");
        r.u8(RdbConstants.OPCODE_SELECTDB).len(5);
        r.u8(RdbConstants.OPCODE_RESIZEDB).len(2).len(1);
        r.u8(RdbConstants.OPCODE_IDLE).len(1000);
        r.u8(RdbConstants.TYPE_LIST_QUICKLIST).str("q").len(2).str(RawRdb.ziplist("a", 1L))
                .str(RawRdb.ziplist("b", 2L));
        r.u8(RdbConstants.OPCODE_EXPIRETIME_MS).le(1700000000123L, 8);
        r.u8(RdbConstants.OPCODE_FREQ).u8(7);
        r.u8(RdbConstants.TYPE_ZSET_2).str("z").len(1).str("m").le(Double.doubleToLongBits(-2.25), 8);
        java.util.List<RdbKeyInfo> infos = new java.util.ArrayList<>();
        Model.Collector c = new Model.Collector() {
            @Override
            public void beginKey(RdbKeyInfo key) {
                super.beginKey(key);
                infos.add(key);
            }
        };
        RdbReader.read(new ByteArrayInputStream(r.eof(true)), c);
        assertThat(c.checksumVerified).isTrue();
        assertThat(c.model.aux).containsEntry("redis-ver", "5.0.7");
        Model m = new Model();
        m.put(5, "q", RdbValueKind.LIST, -1, List.of("a", "1", "b", "2"));
        m.put(5, "z", RdbValueKind.ZSET, 1700000000123L, Map.of("m", -2.25));
        assertThat(Model.diff(m, c.model)).isEmpty();
        assertThat(infos.get(0).idleSeconds()).isEqualTo(1000);
        assertThat(infos.get(0).lfuFreq()).isEqualTo(-1);
        assertThat(infos.get(1).lfuFreq()).isEqualTo(7);
        assertThat(infos.get(1).idleSeconds()).isEqualTo(-1);
    }

    @Test
    void zeroChecksumMeansNotVerifiedAndWrongChecksumIsCorrupt() throws Exception {
        byte[] ok = new RawRdb(10).u8(RdbConstants.TYPE_STRING).str("k").str("v").eof(true);
        byte[] zero = ok.clone();
        java.util.Arrays.fill(zero, zero.length - 8, zero.length, (byte) 0);
        Model.Collector c = read(zero);
        assertThat(c.checksumVerified).isFalse();
        assertThat(c.model.db(0)).containsKey("k");
        byte[] bad = ok.clone();
        bad[bad.length - 1] ^= 1;
        assertThatThrownBy(() -> read(bad)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("wrong RDB checksum").hasMessageContaining("offset " + (bad.length - 8));
    }

    @Test
    void errorsNameTheOffsetAndWhatIsWrong() {
        byte[] unknownType = new RawRdb(10).u8(30).str("k").eof(true);
        assertThatThrownBy(() -> read(unknownType)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("unknown RDB opcode or value type 30").hasMessageContaining("offset 9");
        byte[] truncated = new RawRdb(10).u8(RdbConstants.TYPE_STRING).str("key").len(100).raw(new byte[10]).bytes();
        assertThatThrownBy(() -> read(truncated)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("unexpected end of file").hasMessageContaining("offset " + truncated.length);
        byte[] hostile = new RawRdb(10).u8(RdbConstants.TYPE_STRING).str("key").u8(0x81)
                .raw(new byte[] {0x7f, -1, -1, -1, -1, -1, -1, -1}).eof(true);
        assertThatThrownBy(() -> read(hostile)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("exceeds the limit");
        byte[] hashTtl = new RawRdb(12).u8(RdbConstants.TYPE_HASH_METADATA).str("h").eof(true);
        assertThatThrownBy(() -> read(hashTtl)).isInstanceOf(RdbUnsupportedException.class)
                .hasMessageContaining("hash-metadata").hasMessageContaining("'h'");
        byte[] version13 = new RawRdb(13).eof(true);
        assertThatThrownBy(() -> read(version13)).isInstanceOf(RdbUnsupportedException.class)
                .hasMessageContaining("version 13");
    }
}
