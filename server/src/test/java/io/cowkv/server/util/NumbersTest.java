package io.cowkv.server.util;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class NumbersTest {
    private static Long parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        long[] out = new long[1];
        return Numbers.parseLong(b, 0, b.length, out) ? out[0] : null;
    }

    @Test
    void strictLikeString2ll() {
        assertThat(parse("0")).isEqualTo(0L);
        assertThat(parse("-1")).isEqualTo(-1L);
        assertThat(parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(parse("9223372036854775808")).isNull();
        assertThat(parse("-9223372036854775809")).isNull();
        assertThat(parse("01")).isNull();
        assertThat(parse("-0")).isNull();
        assertThat(parse("+1")).isNull();
        assertThat(parse(" 1")).isNull();
        assertThat(parse("1 ")).isNull();
        assertThat(parse("")).isNull();
        assertThat(parse("-")).isNull();
        assertThat(parse("1.0")).isNull();
    }

    @Property
    void writeThenParseRoundTrips(@ForAll long v) {
        byte[] buf = new byte[24];
        int end = Numbers.writeLong(v, buf, 0);
        assertThat(end).isEqualTo(Numbers.digits(v));
        assertThat(new String(buf, 0, end, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        assertThat(parse(Long.toString(v))).isEqualTo(v);
    }
}
