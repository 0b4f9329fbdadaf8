package io.cowkv.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cowkv.rdb.testing.Model;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BasicRoundTripTest {

    static Model sample() {
        Model m = new Model();
        m.aux.put("redis-ver", "7.0.15");
        m.aux.put("redis-bits", "64");
        m.put(0, "int8", RdbValueKind.STRING, -1, "100");
        m.put(0, "int16", RdbValueKind.STRING, -1, "-30000");
        m.put(0, "int32", RdbValueKind.STRING, -1, "2000000000");
        m.put(0, "notint", RdbValueKind.STRING, -1, "0100");
        m.put(0, "long", RdbValueKind.STRING, -1, "9223372036854775807");
        m.put(0, "empty", RdbValueKind.STRING, -1, "");
        m.put(0, "lzf", RdbValueKind.STRING, 4102444800000L, "abc".repeat(100));
        StringBuilder bin = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            bin.append((char) i);
        }
        m.put(0, "bin\u0000\u00ff", RdbValueKind.STRING, 1, bin.toString());
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            big.add(i % 3 == 0 ? Integer.toString(i * 7919 - 500000) : "element-" + i);
        }
        m.put(0, "list", RdbValueKind.LIST, -1, big);
        m.put(0, "list1", RdbValueKind.LIST, -1, List.of("x"));
        m.put(1, "intset", RdbValueKind.SET, -1, new LinkedHashSet<>(List.of("1", "-5", "70000", "5000000000")));
        Set<String> strSet = new LinkedHashSet<>();
        for (int i = 0; i < 600; i++) {
            strSet.add("m" + i);
        }
        m.put(1, "bigset", RdbValueKind.SET, -1, strSet);
        m.put(1, "smallset", RdbValueKind.SET, -1, new LinkedHashSet<>(List.of("a", "b", "12")));
        Map<String, Double> z = new LinkedHashMap<>();
        z.put("a", 1.5);
        z.put("b", Double.NEGATIVE_INFINITY);
        z.put("c", Double.POSITIVE_INFINITY);
        z.put("d", -0.0);
        z.put("e", 3.0);
        z.put("f", 1e300);
        z.put("g", 0.1);
        m.put(2, "zsmall", RdbValueKind.ZSET, -1, z);
        Map<String, Double> zb = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            zb.put("member:" + i, i / 7.0);
        }
        m.put(2, "zbig", RdbValueKind.ZSET, -1, zb);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("f1", "v1");
        h.put("n", "-12345");
        m.put(3, "hsmall", RdbValueKind.HASH, -1, h);
        Map<String, String> hm = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            hm.put("field" + i, Integer.toString(i - 100));
        }
        m.put(3, "hmedium", RdbValueKind.HASH, -1, hm);
        Map<String, String> hb = new LinkedHashMap<>();
        for (int i = 0; i < 600; i++) {
            hb.put("field" + i, "value" + i);
        }
        m.put(3, "hbig", RdbValueKind.HASH, -1, hb);
        m.put(3, "hlongval", RdbValueKind.HASH, -1, Map.of("f", "x".repeat(100)));
        return m;
    }

    static Model roundTrip(Model m, RdbWriter.Options o) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(new RdbWriter(out, o));
        Model.Collector c = new Model.Collector();
        RdbReader.read(new ByteArrayInputStream(out.toByteArray()), c);
        assertThat(c.checksumVerified).isTrue();
        return c.model;
    }

    @Test
    void roundTripsEveryTypeWithAndWithoutCompression() throws Exception {
        Model m = sample();
        for (int v = 10; v <= 12; v++) {
            for (boolean comp : new boolean[] {true, false}) {
                Model back = roundTrip(m, RdbWriter.Options.defaults().withVersion(v).withCompression(comp));
                assertThat(back.aux).isEqualTo(m.aux);
                assertThat(Model.diff(m, back)).isEmpty();
            }
        }
    }

    @Test
    void stringsVisitorHandsOverStringKeysOnlyInFileOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sample().writeTo(new RdbWriter(out, RdbWriter.Options.defaults()));
        java.util.Map<String, String> got = new java.util.LinkedHashMap<>();
        RdbReader.read(new ByteArrayInputStream(out.toByteArray()), RdbVisitor.strings((key, v) ->
                got.put(key.db() + ":" + new String(key.key(), java.nio.charset.StandardCharsets.ISO_8859_1),
                        new String(v, java.nio.charset.StandardCharsets.ISO_8859_1) + "|" + key.expireAtMs())));
        assertThat(got).containsEntry("0:int8", "100|-1")
                .containsEntry("0:long", "9223372036854775807|-1")
                .containsEntry("0:empty", "|-1")
                .containsEntry("0:lzf", "abc".repeat(100) + "|4102444800000")
                .doesNotContainKeys("0:list", "0:list1", "1:intset", "1:bigset", "1:smallset");
        assertThat(got.keySet()).startsWith("0:int8", "0:int16", "0:int32");
    }
}
