package io.cowkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RespParserTest {

    /** Feeds the input one byte at a time and collects every reply. */
    static List<Reply> parseByteByByte(String input) {
        return parseInChunks(input.getBytes(StandardCharsets.UTF_8), 1);
    }

    static List<Reply> parseInChunks(byte[] bytes, int chunk) {
        RespParser p = new RespParser();
        List<Reply> out = new ArrayList<>();
        ByteBuf buf = Unpooled.buffer();
        for (int i = 0; i < bytes.length; i += chunk) {
            buf.writeBytes(bytes, i, Math.min(chunk, bytes.length - i));
            Reply r;
            while ((r = p.parse(buf)) != null) out.add(r);
            assertThat(buf.isReadable()).as("parser consumes everything it was given").isFalse();
            buf.discardReadBytes();
        }
        buf.release();
        return out;
    }

    static Reply one(String input) {
        List<Reply> all = parseByteByByte(input);
        assertThat(all).hasSize(1);
        // the same bytes in one piece give the same reply
        assertThat(parseInChunks(input.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE)).isEqualTo(all);
        return all.get(0);
    }

    @Test
    void resp2Scalars() {
        assertThat(one("+OK\r\n")).isEqualTo(new SimpleStringReply("OK"));
        assertThat(one("-ERR unknown command 'foo'\r\n")).isEqualTo(new ErrorReply("ERR unknown command 'foo'"));
        assertThat(((ErrorReply) one("-WRONGTYPE Operation\r\n")).code()).isEqualTo("WRONGTYPE");
        assertThat(one(":-123\r\n")).isEqualTo(new IntegerReply(-123));
        assertThat(one(":9223372036854775807\r\n")).isEqualTo(new IntegerReply(Long.MAX_VALUE));
        assertThat(one("$5\r\nhello\r\n")).isEqualTo(BulkReply.of("hello"));
        assertThat(one("$0\r\n\r\n")).isEqualTo(BulkReply.of(""));
        assertThat(one("$-1\r\n")).isSameAs(NullReply.INSTANCE);
        assertThat(one("*-1\r\n")).isSameAs(NullReply.INSTANCE);
    }

    @Test
    void bulkIsBinarySafe() {
        assertThat(one("$6\r\na\r\nb\r\n\r\n")).isEqualTo(BulkReply.of("a\r\nb\r\n"));
    }

    @Test
    void nestedArrays() {
        Reply r = one("*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n*0\r\n\r\n".replace("\r\n\r\n", "\r\n"));
        assertThat(r).isEqualTo(new ArrayReply(List.of(new IntegerReply(1),
                new ArrayReply(List.of(BulkReply.of("a"), NullReply.INSTANCE)), new ArrayReply(List.of()))));
    }

    @Test
    void resp3Types() {
        assertThat(one("_\r\n")).isSameAs(NullReply.INSTANCE);
        assertThat(one(",3.25\r\n")).isEqualTo(new DoubleReply(3.25));
        assertThat(one(",inf\r\n")).isEqualTo(new DoubleReply(Double.POSITIVE_INFINITY));
        assertThat(one(",-inf\r\n")).isEqualTo(new DoubleReply(Double.NEGATIVE_INFINITY));
        assertThat(((DoubleReply) one(",nan\r\n")).value()).isNaN();
        assertThat(one("#t\r\n")).isEqualTo(new BooleanReply(true));
        assertThat(one("#f\r\n")).isEqualTo(new BooleanReply(false));
        assertThat(one("(3492890328409238509324850943850943825024385\r\n"))
                .isEqualTo(new BigNumberReply(new BigInteger("3492890328409238509324850943850943825024385")));
        assertThat(one("=15\r\ntxt:Some string\r\n")).isEqualTo(new VerbatimReply("txt", "Some string"));
        assertThat(one("!21\r\nSYNTAX invalid syntax\r\n")).isEqualTo(new ErrorReply("SYNTAX invalid syntax"));
        assertThat(one("~2\r\n+a\r\n:1\r\n")).isEqualTo(new SetReply(List.of(new SimpleStringReply("a"), new IntegerReply(1))));
        assertThat(one(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"))
                .isEqualTo(new PushReply(List.of(BulkReply.of("message"), BulkReply.of("ch"), BulkReply.of("hi"))));
        Map<Reply, Reply> m = new LinkedHashMap<>();
        m.put(BulkReply.of("server"), BulkReply.of("redis"));
        m.put(new SimpleStringReply("proto"), new IntegerReply(3));
        MapReply map = (MapReply) one("%2\r\n$6\r\nserver\r\n$5\r\nredis\r\n+proto\r\n:3\r\n");
        assertThat(map).isEqualTo(new MapReply(m));
        assertThat(map.get("server").asString()).isEqualTo("redis");
        assertThat(map.get("proto").asLong()).isEqualTo(3);
        assertThat(one("%0\r\n")).isEqualTo(new MapReply(Map.of()));
    }

    @Test
    void attributesAreDropped() {
        assertThat(one("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2039123\r\n:9543892\r\n"))
                .isEqualTo(new ArrayReply(List.of(new IntegerReply(2039123), new IntegerReply(9543892))));
        // nested inside an aggregate, an attribute does not count as an element
        assertThat(one("*2\r\n:1\r\n|1\r\n+a\r\n+b\r\n:2\r\n"))
                .isEqualTo(new ArrayReply(List.of(new IntegerReply(1), new IntegerReply(2))));
    }

    @Test
    void severalRepliesInOneBuffer() {
        assertThat(parseByteByByte("+OK\r\n:1\r\n$1\r\nx\r\n_\r\n"))
                .containsExactly(SimpleStringReply.OK, new IntegerReply(1), BulkReply.of("x"), NullReply.INSTANCE);
    }

    @Test
    void malformedInputIsAProtocolError() {
        assertThatThrownBy(() -> parseByteByByte("?x\r\n")).isInstanceOf(RedisProtocolException.class).hasMessageContaining("unknown RESP type");
        assertThatThrownBy(() -> parseByteByByte(":12a\r\n")).isInstanceOf(RedisProtocolException.class);
        assertThatThrownBy(() -> parseByteByByte("+OK\n")).isInstanceOf(RedisProtocolException.class).hasMessageContaining("CRLF");
        assertThatThrownBy(() -> parseByteByByte("$3\r\nabcd\r\n")).isInstanceOf(RedisProtocolException.class);
        assertThatThrownBy(() -> parseByteByByte("#x\r\n")).isInstanceOf(RedisProtocolException.class);
        assertThatThrownBy(() -> parseByteByByte("$?\r\n")).isInstanceOf(RedisProtocolException.class).hasMessageContaining("streamed");
        assertThat(parseInChunks("$100\r\nabc".getBytes(StandardCharsets.US_ASCII), 1)).as("incomplete bulk waits").isEmpty();
        RespParser small = new RespParser(10, 2);
        assertThatThrownBy(() -> small.parse(Unpooled.copiedBuffer("$11\r\n", StandardCharsets.US_ASCII)))
                .isInstanceOf(RedisProtocolException.class).hasMessageContaining("bulk length");
        RespParser shallow = new RespParser(10, 2);
        assertThatThrownBy(() -> shallow.parse(Unpooled.copiedBuffer("*1\r\n*1\r\n*1\r\n:1\r\n", StandardCharsets.US_ASCII)))
                .isInstanceOf(RedisProtocolException.class).hasMessageContaining("nested");
    }

    /** Any chunking of a random stream of replies decodes to the same replies. */
    @Property(tries = 200)
    void chunkingDoesNotMatter(@ForAll @IntRange(min = 1, max = 17) int chunk, @ForAll @IntRange(min = 0, max = 10_000) int seed) {
        java.util.Random rnd = new java.util.Random(seed);
        StringBuilder sb = new StringBuilder();
        List<Reply> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            switch (rnd.nextInt(4)) {
                case 0 -> { long v = rnd.nextLong(); sb.append(':').append(v).append("\r\n"); expected.add(new IntegerReply(v)); }
                case 1 -> {
                    String s = "x".repeat(rnd.nextInt(40)) + "\r\n" + i;
                    sb.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
                    expected.add(BulkReply.of(s));
                }
                case 2 -> { sb.append("*2\r\n+a\r\n_\r\n"); expected.add(new ArrayReply(List.of(new SimpleStringReply("a"), NullReply.INSTANCE))); }
                default -> { sb.append("-ERR e").append(i).append("\r\n"); expected.add(new ErrorReply("ERR e" + i)); }
            }
        }
        assertThat(parseInChunks(sb.toString().getBytes(StandardCharsets.UTF_8), chunk)).isEqualTo(expected);
    }
}
