package io.cowkv.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Case-insensitive name matching of request arguments, for every byte value; big arguments in
 * native memory, received from every kind of buffer, moved to the heap on demand and freed.
 */
class CommandArgsTest {
    @Test
    void matchesNamesInAnyAsciiCaseAndNothingElse() {
        CommandArgs a = new CommandArgs();
        a.add("BgSaVe");
        a.add("bgsave");
        a.add("BGSAVE");
        a.add("bgsav");
        a.add("bgsavE\u00c9".substring(0, 6)); // still ASCII
        for (int i = 0; i < 5; i++) {
            assertThat(a.is(i, "bgsave")).as("argument %d", i).isEqualTo(i != 3);
        }
        assertThat(a.lower(0)).isEqualTo("bgsave");
    }

    @Test
    void lowerCaseMapsOnlyAsciiLetters() {
        for (int c = 0; c < 256; c++) {
            int expected = c >= 'A' && c <= 'Z' ? c + 32 : c;
            assertThat(CommandArgs.lowerAscii((byte) c)).as("byte %d", c).isEqualTo(expected);
        }
        CommandArgs a = new CommandArgs();
        a.add(new byte[]{(byte) 0xC1, 'b'}, 0, 2); // 0xC1 - 32 == 0xA1, 0xC1 | 0x20 == 0xE1: neither may match
        assertThat(a.is(0, "\u00e1b")).isFalse();
        assertThat(a.is(0, "ab")).isFalse();
        a.add(new byte[]{'[', '@', '`', '{'}, 0, 4); // the neighbours of the letter ranges stay themselves
        assertThat(a.is(1, "[@`{")).isTrue();
        assertThat(a.is(1, "{`@[")).isFalse();
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** Receives {@code value} as the next argument from buffers of the given kind, in pieces of {@code piece} bytes. */
    private static void receive(CommandArgs a, byte[] value, String kind, int piece) {
        a.beginReceive(value.length);
        for (int at = 0; at < value.length; at += piece) {
            int n = Math.min(piece, value.length - at);
            ByteBuf in;
            switch (kind) {
                case "heap":
                    in = Unpooled.wrappedBuffer(Arrays.copyOfRange(value, at, at + n));
                    break;
                case "direct":
                    in = Unpooled.directBuffer(n).writeBytes(value, at, n);
                    break;
                default: // neither an array nor an address: a composite of two
                    CompositeByteBuf c = Unpooled.compositeBuffer();
                    c.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(value, at, at + n / 2)));
                    c.addComponent(true, Unpooled.directBuffer(n - n / 2).writeBytes(value, at + n / 2, n - n / 2));
                    in = c;
            }
            a.receive(in, n);
            assertThat(in.isReadable()).isFalse();
            in.release();
        }
    }

    @Test
    void bigArgumentsLiveInNativeMemoryUntilTheNextCommand() {
        long before = CommandArgs.outstandingNativeBytes();
        for (String kind : new String[]{"heap", "direct", "composite"}) {
            CommandArgs a = new CommandArgs();
            byte[] small = pattern(CommandArgs.NATIVE_MIN - 1, 1);
            byte[] big = pattern(CommandArgs.NATIVE_MIN + 12_345, 2);
            receive(a, "SET".getBytes(), kind, 7);
            receive(a, small, kind, 10_000);
            receive(a, big, kind, 9_999);
            assertThat(a.isNative(1)).as(kind).isFalse();
            assertThat(a.isNative(2)).as(kind).isTrue();
            assertThat(a.hasNative()).isTrue();
            assertThat(CommandArgs.outstandingNativeBytes() - before).isEqualTo(big.length);
            assertThat(a.length(2)).isEqualTo(big.length);
            assertThat(a.copy(2)).as(kind).isEqualTo(big);
            assertThat(a.copyPrefix(2, 5)).isEqualTo(Arrays.copyOf(big, 5));
            assertThat(a.byteAt(2, big.length - 1)).isEqualTo(big[big.length - 1]);
            assertThatThrownBy(() -> a.offset(2)).as("no heap slice").isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> a.byteAt(2, big.length)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(a.copy(1)).isEqualTo(small);

            a.toHeap(2);
            assertThat(a.isNative(2)).isFalse();
            assertThat(a.hasNative()).isFalse();
            assertThat(CommandArgs.outstandingNativeBytes()).isEqualTo(before);
            assertThat(Arrays.copyOfRange(a.data(), a.offset(2), a.offset(2) + a.length(2))).isEqualTo(big);
            assertThat(Arrays.copyOfRange(a.data(), a.offset(1), a.offset(1) + a.length(1))).isEqualTo(small);

            receive(a, big, kind, 65_536);
            assertThat(a.isNative(3)).isTrue();
            a.clear();
            assertThat(a.count()).isZero();
            assertThat(CommandArgs.outstandingNativeBytes()).as("freed with the command").isEqualTo(before);
        }
    }

    @Test
    void aHalfReceivedBigArgumentIsFreedByTheDecoderRelease() {
        long before = CommandArgs.outstandingNativeBytes();
        RespDecoder d = new RespDecoder(512L << 20, 1L << 30);
        ByteBuf in = Unpooled.copiedBuffer("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$200000\r\nabc".getBytes());
        assertThat(d.decode(in, args -> true)).isTrue();
        in.release();
        assertThat(CommandArgs.outstandingNativeBytes() - before).isEqualTo(200_000);
        d.release();
        assertThat(CommandArgs.outstandingNativeBytes()).isEqualTo(before);
    }
}
