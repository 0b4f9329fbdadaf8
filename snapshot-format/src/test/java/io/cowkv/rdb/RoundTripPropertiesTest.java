package io.cowkv.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cowkv.rdb.testing.Model;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Writer then reader gives back exactly the data set, for every type, encoding and edge case. */
class RoundTripPropertiesTest {

    static Arbitrary<String> bytes() {
        Arbitrary<String> ints = Arbitraries.oneOf(
                Arbitraries.longs().map(x -> Long.toString(x)),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE,
                        Integer.MIN_VALUE - 1L, Integer.MAX_VALUE + 1L, -129L, -128L, 127L, 128L, -32769L, -32768L,
                        32767L, 32768L, -4097L, -4096L, 4095L, 4096L, 8388607L, 8388608L, -8388608L, -8388609L, 0L)
                        .map(x -> Long.toString(x)),
                Arbitraries.of("-0", "007", "+1", "1.0", " 1", "99999999999999999999", "-9223372036854775809"));
        Arbitrary<String> binary = Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMaxLength(80);
        Arbitrary<String> compressible = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'd').ofMinLength(1).ofMaxLength(5),
                Arbitraries.integers().between(5, 3000)).as((s, n) -> s.repeat(n));
        Arbitrary<String> mid = Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMinLength(60)
                .ofMaxLength(5000);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, ints), net.jqwik.api.Tuple.of(6, binary),
                net.jqwik.api.Tuple.of(1, compressible), net.jqwik.api.Tuple.of(1, mid),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("")));
    }

    static Arbitrary<Double> scores() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.integers().between(-1000, 1000).map(Integer::doubleValue),
                Arbitraries.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
                        Double.MAX_VALUE, -Double.MAX_VALUE, 0.1, 1e-300, 4503599627370496.0, 9007199254740993.0,
                        1.7976931348623157e308, 123456789.123456789));
    }

    static Arbitrary<Long> expiries() {
        return Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.just(-1L), Arbitraries.longs().between(0, 1L << 50),
                Arbitraries.of(0L, 1L, Long.MAX_VALUE));
    }

    static Arbitrary<Model.Entry> entries() {
        Arbitrary<Integer> sizes = Arbitraries.oneOf(Arbitraries.integers().between(1, 10),
                Arbitraries.integers().between(1, 700));
        Arbitrary<Model.Entry> str = Combinators.combine(expiries(), bytes())
                .as((e, v) -> new Model.Entry(RdbValueKind.STRING, e, v));
        Arbitrary<Model.Entry> list = Combinators.combine(expiries(), bytes().list().ofMinSize(1).ofMaxSize(400))
                .as((e, v) -> new Model.Entry(RdbValueKind.LIST, e, v));
        Arbitrary<Model.Entry> set = Combinators.combine(expiries(), sizes.flatMap(n ->
                Arbitraries.<String>oneOf(bytes(), Arbitraries.longs().map(x -> Long.toString(x)),
                                Arbitraries.longs().between(-1000, 1000).map(x -> Long.toString(x)))
                        .set().ofMinSize(1).ofMaxSize(n)))
                .as((e, v) -> new Model.Entry(RdbValueKind.SET, e, new LinkedHashSet<>(v)));
        Arbitrary<Model.Entry> zset = Combinators.combine(expiries(),
                        Arbitraries.maps(bytes(), scores()).ofMinSize(1).ofMaxSize(300))
                .as((e, v) -> new Model.Entry(RdbValueKind.ZSET, e, new LinkedHashMap<>(v)));
        Arbitrary<Model.Entry> hash = Combinators.combine(expiries(), sizes.flatMap(n ->
                        Arbitraries.maps(bytes(), bytes()).ofMinSize(1).ofMaxSize(n)))
                .as((e, v) -> new Model.Entry(RdbValueKind.HASH, e, new LinkedHashMap<>(v)));
        return Arbitraries.oneOf(str, list, set, zset, hash);
    }

    @Provide
    Arbitrary<Model> models() {
        Arbitrary<Map<String, Model.Entry>> db = Arbitraries.maps(bytes(), entries()).ofMaxSize(6);
        return Arbitraries.maps(Arbitraries.oneOf(Arbitraries.longs().between(0, 15),
                        Arbitraries.of(0L, 1L, 63L, 64L, 16383L, 16384L, 1L << 32, Long.MAX_VALUE)), db)
                .ofMinSize(0).ofMaxSize(3)
                .map(dbs -> {
                    Model m = new Model();
                    dbs.forEach((n, keys) -> {
                        if (!keys.isEmpty()) {
                            m.db(n).putAll(keys);
                        }
                    });
                    return m;
                });
    }

    @Provide
    Arbitrary<RdbWriter.Options> options() {
        return Combinators.combine(Arbitraries.integers().between(10, 12), Arbitraries.of(true, false),
                Arbitraries.oneOf(Arbitraries.just(128), Arbitraries.integers().between(1, 300)),
                Arbitraries.of(true, false)).as((v, c, node, smallThresholds) -> {
                    RdbWriter.Options o = RdbWriter.Options.defaults().withVersion(v).withCompression(c)
                            .withListNodeEntries(node);
                    return smallThresholds ? o.withThresholds(4, 3, 8, 3, 8, 3, 8) : o;
                });
    }

    @Property(tries = 150)
    void writeThenReadGivesTheSameDataSet(@ForAll("models") Model m, @ForAll("options") RdbWriter.Options o)
            throws Exception {
        m.aux.put("redis-ver", "7.0.15");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(new RdbWriter(out, o));
        Model.Collector c = new Model.Collector();
        RdbReader.read(new ByteArrayInputStream(out.toByteArray()), c);
        assertThat(c.version).isEqualTo(o.version());
        assertThat(c.checksumVerified).isTrue();
        assertThat(c.model.aux).isEqualTo(m.aux);
        List<String> diff = Model.diff(m, c.model);
        assertThat(diff).isEmpty();
    }

    @Property(tries = 300)
    void stringEncodingsRoundTrip(@ForAll("strings") String s) throws Exception {
        Model m = new Model().put(0, s, RdbValueKind.STRING, -1, s);
        for (boolean comp : new boolean[] {true, false}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(new RdbWriter(out, RdbWriter.Options.defaults().withCompression(comp)));
            Model.Collector c = new Model.Collector();
            RdbReader.read(new ByteArrayInputStream(out.toByteArray()), c);
            assertThat(Model.diff(m, c.model)).isEmpty();
        }
    }

    @Provide
    Arbitrary<String> strings() {
        return bytes();
    }
}
