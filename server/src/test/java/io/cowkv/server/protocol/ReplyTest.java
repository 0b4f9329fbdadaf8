package io.cowkv.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyTest {
    private static String write(int protocol, Consumer<Reply> c) {
        ByteBuf buf = Unpooled.buffer();
        Reply r = new Reply();
        r.protocol(protocol);
        r.target(buf);
        c.accept(r);
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        buf.release();
        return s;
    }

    @Test
    void scalarsInBothProtocols() {
        for (int p : new int[]{2, 3}) {
            assertThat(write(p, Reply::ok)).isEqualTo("+OK\r\n");
            assertThat(write(p, r -> r.integer(-42))).isEqualTo(":-42\r\n");
            assertThat(write(p, r -> r.integer(7))).isEqualTo(":7\r\n");
            assertThat(write(p, r -> r.integer(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
            assertThat(write(p, r -> r.bulk("hé"))).isEqualTo("$3\r\nh\u00c3\u00a9\r\n");
            assertThat(write(p, r -> r.bulkLong(-1234567))).isEqualTo("$8\r\n-1234567\r\n");
            assertThat(write(p, r -> r.error(Errors.WRONGTYPE)))
                    .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
        }
    }

    @Test
    void resp2DowngradesResp3Types() {
        assertThat(write(2, Reply::nullBulk)).isEqualTo("$-1\r\n");
        assertThat(write(2, Reply::nullArray)).isEqualTo("*-1\r\n");
        assertThat(write(2, r -> r.map(2))).isEqualTo("*4\r\n");
        assertThat(write(2, r -> r.set(3))).isEqualTo("*3\r\n");
        assertThat(write(2, r -> r.doubleValue(1.5))).isEqualTo("$3\r\n1.5\r\n");
        assertThat(write(2, r -> r.bool(true))).isEqualTo(":1\r\n");
        assertThat(write(2, r -> r.verbatim("a\r\nb"))).isEqualTo("$4\r\na\r\nb\r\n");
    }

    @Test
    void resp3Types() {
        assertThat(write(3, Reply::nullBulk)).isEqualTo("_\r\n");
        assertThat(write(3, Reply::nullArray)).isEqualTo("_\r\n");
        assertThat(write(3, r -> r.map(2))).isEqualTo("%2\r\n");
        assertThat(write(3, r -> r.set(3))).isEqualTo("~3\r\n");
        assertThat(write(3, r -> r.doubleValue(1.5))).isEqualTo(",1.5\r\n");
        assertThat(write(3, r -> r.doubleValue(Double.POSITIVE_INFINITY))).isEqualTo(",inf\r\n");
        assertThat(write(3, r -> r.bool(false))).isEqualTo("#f\r\n");
        assertThat(write(3, r -> r.verbatim("ab"))).isEqualTo("=6\r\ntxt:ab\r\n");
    }

    @Test
    void nativePayloadIsCopiedIntoTheBulk() {
        ByteBuf direct = io.netty.buffer.Unpooled.directBuffer(8);
        direct.writeBytes("abcdefgh".getBytes(StandardCharsets.US_ASCII));
        long addr = direct.memoryAddress();
        assertThat(write(2, r -> {
            r.beginBulk(5);
            r.payload(addr + 1, 5);
            r.endBulk();
        })).isEqualTo("$5\r\nbcdef\r\n");
        direct.release();
    }

    @Test
    void doublesFormatLikeRedis() {
        assertThat(DoubleFormat.format(3.0)).isEqualTo("3");
        assertThat(DoubleFormat.format(0.1)).isEqualTo("0.10000000000000001");
        assertThat(DoubleFormat.format(1e20)).isEqualTo("1e+20");
        assertThat(DoubleFormat.format(-2.5e-7)).isEqualTo("-2.4999999999999999e-07");
        assertThat(DoubleFormat.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(DoubleFormat.formatHuman(10.5)).isEqualTo("10.5");
        assertThat(DoubleFormat.formatHuman(3.0e3)).isEqualTo("3000");
        assertThat(DoubleFormat.formatHuman(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    }

    /** Everything a reply with large bulks produced, parts then target, as one string; all released. */
    private static String drainAll(Reply r) {
        java.util.List<Object> parts = new java.util.ArrayList<>();
        r.drainParts(parts);
        parts.add(r.target());
        r.target(null);
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof LargeBulk) {
                LargeBulk l = (LargeBulk) p;
                while (l.unsent() > 0) {
                    ByteBuf chunk = Unpooled.directBuffer();
                    l.sendTo(chunk, 100_000);
                    sb.append(chunk.toString(StandardCharsets.ISO_8859_1));
                    chunk.release();
                }
                l.free();
            } else {
                ByteBuf b = (ByteBuf) p;
                sb.append(b.toString(StandardCharsets.ISO_8859_1));
                b.release();
            }
        }
        return sb.toString();
    }

    @Test
    void largeBulksBecomePartsInReplyOrder() {
        long before = LargeBulk.outstandingBytes();
        Reply r = new Reply();
        r.target(Unpooled.directBuffer());
        r.largeBulks(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        byte[] big = new byte[Reply.LARGE_BULK_MIN + 3];
        java.util.Arrays.fill(big, (byte) 'x');
        long native0 = io.netty.util.internal.PlatformDependent.allocateMemory(Reply.LARGE_BULK_MIN);
        try {
            io.netty.util.internal.PlatformDependent.setMemory(native0, Reply.LARGE_BULK_MIN, (byte) 'y');
            r.ok();
            r.bulk(big);                                   // a heap payload
            r.integer(5);
            r.beginBulk(Reply.LARGE_BULK_MIN + 1);         // a native payload in two pieces
            r.payload(native0, Reply.LARGE_BULK_MIN);
            r.payload(new byte[]{'z'}, 0, 1);
            r.endBulk();
            r.bulk(new byte[]{'s'});
            assertThat(r.hasParts()).isTrue();
            assertThat(LargeBulk.outstandingBytes() - before).isEqualTo(2L * Reply.LARGE_BULK_MIN + 3 + 1 + 4);
            String expected = "+OK\r\n$" + big.length + "\r\n" + "x".repeat(big.length) + "\r\n:5\r\n$"
                    + (Reply.LARGE_BULK_MIN + 1) + "\r\n" + "y".repeat(Reply.LARGE_BULK_MIN) + "z\r\n$1\r\ns\r\n";
            assertThat(drainAll(r)).isEqualTo(expected);
            assertThat(LargeBulk.outstandingBytes()).isEqualTo(before);
        } finally {
            io.netty.util.internal.PlatformDependent.freeMemory(native0);
        }
    }

    @Test
    void rewindTakesBackLargeBulksFinishedOrNot() {
        long before = LargeBulk.outstandingBytes();
        Reply r = new Reply();
        r.target(Unpooled.directBuffer());
        r.largeBulks(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        byte[] big = new byte[Reply.LARGE_BULK_MIN];
        r.ok();
        long mark = r.mark();
        r.bulk(big);
        r.integer(1);
        r.bulk(big);
        r.beginBulk(big.length);                           // a handler failing half-way
        r.payload(big, 0, 10);
        r.rewind(mark);
        assertThat(r.hasParts()).isFalse();
        assertThat(LargeBulk.outstandingBytes()).as("every large bulk freed").isEqualTo(before);
        r.integer(2);
        assertThat(drainAll(r)).isEqualTo("+OK\r\n:2\r\n");

        r.target(Unpooled.directBuffer());
        r.beginBulk(big.length);
        r.payload(big, 0, big.length - 1);                 // one byte short of what it declared
        assertThatThrownBy(r::endBulk).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.payload(big, 0, 3)).as("never past its size").isInstanceOf(IllegalStateException.class);
        r.discard();
        assertThat(LargeBulk.outstandingBytes()).isEqualTo(before);
    }

    @Test
    void withoutAnAllocatorLargeBulksStayInTheTarget() {
        byte[] big = new byte[Reply.LARGE_BULK_MIN];
        String s = write(2, r -> r.bulk(big));
        assertThat(s).hasSize(big.length + 2 + 2 + String.valueOf(big.length).length() + 1);
    }
}
